import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestClipOptions {
  width?: number;
  height?: number;
  fps?: number;
  seconds?: number;
  /** Target video bit rate, e.g. '500k'. */
  bitrate?: string;
  /** Keyframe interval in frames. */
  gop?: number;
}

/**
 * Encodes a test pattern with a sine tone (H.264 + AAC in FLV) once, so publishers can send it
 * with `-c copy` and spend no CPU on encoding. Cached by its options in `dir`.
 */
export async function makeTestClip(dir: string, options: TestClipOptions = {}): Promise<string> {
  const { width = 320, height = 240, fps = 15, seconds = 4, bitrate = '300k', gop = fps } = options;
  const file = path.join(dir, `pattern-${width}x${height}-${fps}fps-${seconds}s-${bitrate}-g${gop}.flv`);
  if (existsSync(file)) return file;
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-b:v', bitrate, '-maxrate', bitrate, '-bufsize', bitrate, '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '64k', '-ar', '44100',
    '-f', 'flv', file,
  ]);
  return file;
}

export interface Publisher {
  child: ChildProcess;
  /** ffmpeg's stderr so far. */
  output(): string;
  /** Resolves with ffmpeg's exit code. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Publishes `file` in a loop, in real time, over RTMP with `-c copy` (a drone's encoder). */
export function publishRtmp(file: string, url: string, options: { loop?: boolean } = {}): Publisher {
  return publisherOf(
    spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'warning', '-re',
      ...(options.loop === false ? [] : ['-stream_loop', '-1']),
      '-i', file, '-c', 'copy', '-f', 'flv', url,
    ], { stdio: ['ignore', 'ignore', 'pipe'] }),
  );
}

/**
 * Publishes a live-encoded test pattern whose picture carries its running clock (lavfi `testsrc`),
 * as a drone's camera would: the simulator's drones. Costs some CPU per publisher, unlike publishRtmp.
 */
export function publishLivePattern(url: string, options: { width?: number; height?: number; fps?: number; bitrate?: string } = {}): Publisher {
  const { width = 320, height = 240, fps = 15, bitrate = '250k' } = options;
  return publisherOf(
    spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${fps}`,
      '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', String(fps), '-b:v', bitrate,
      '-f', 'flv', url,
    ], { stdio: ['ignore', 'ignore', 'pipe'] }),
  );
}

function publisherOf(child: ChildProcess): Publisher {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => stderr,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  sample_rate?: string;
}

/** ffprobe's view of a URL's streams (reads a few seconds of a live stream at most). */
export async function ffprobeStreams(url: string, headers?: Record<string, string>): Promise<ProbedStream[]> {
  const headerArgs = headers ? ['-headers', Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')] : [];
  const { stdout } = await run('ffprobe', [
    '-hide_banner', '-loglevel', 'error', '-rw_timeout', '10000000', ...headerArgs,
    '-show_entries', 'stream=codec_type,codec_name,width,height,sample_rate', '-of', 'json', url,
  ], { timeout: 20_000 });
  return (JSON.parse(stdout) as { streams: ProbedStream[] }).streams;
}

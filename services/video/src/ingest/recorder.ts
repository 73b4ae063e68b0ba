import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { createFlvViewer } from './flv-viewer';
import { NmsBroadcast, NmsModules } from './nms';

const STOP_TIMEOUT_MS = 5000;

export interface Recording {
  stop(): Promise<void>;
}

/** `<dir>/<drone>/<UTC start>-<session>-NNN.mp4`: names sort by time, and name their session. */
export function recordingPattern(dir: string, droneId: string, sessionId: string, startedAt: Date): string {
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return path.join(dir, droneId, `${stamp}-${sessionId}-%03d.mp4`);
}

/**
 * Records a live broadcast to MP4 segments: an internal FLV subscriber pipes the stream into
 * ffmpeg (`-c copy`, segment muxer), which cuts at the first keyframe after each segment length.
 * Stopping ends ffmpeg's input, so the last segment is finalised too.
 */
export function startRecording(nms: NmsModules, broadcast: NmsBroadcast, target: { pattern: string; segmentS: number }, logger: Logger): Recording {
  mkdirSync(path.dirname(target.pattern), { recursive: true });
  const ffmpeg = spawn('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-f', 'flv', '-i', 'pipe:0', '-c', 'copy',
    '-f', 'segment', '-segment_time', String(target.segmentS), '-reset_timestamps', '1', '-segment_format', 'mp4', target.pattern,
  ], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  ffmpeg.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  ffmpeg.stdin.on('error', () => undefined); // EPIPE when ffmpeg has died; its exit is logged below
  const exited = new Promise<void>((resolve) =>
    ffmpeg.once('exit', (code) => {
      if (code !== 0) logger.warn(`recorder for ${target.pattern} exited with ${code}: ${stderr.trim()}`);
      resolve();
    }),
  );
  ffmpeg.once('error', (error) => logger.error(`cannot start ffmpeg to record: ${error.message}`));
  const viewer = createFlvViewer(nms, ffmpeg.stdin, '', () => logger.warn(`recorder for ${target.pattern} fell behind; recording stopped`));
  broadcast.postPlay(viewer);
  return {
    async stop() {
      broadcast.donePlay(viewer);
      ffmpeg.stdin.end();
      const timer = setTimeout(() => ffmpeg.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

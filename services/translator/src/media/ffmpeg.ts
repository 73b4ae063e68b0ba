import { readFile } from 'node:fs/promises';
import { runTool } from './run-tool';
import { probeMedia } from './ffprobe';

const FFMPEG = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'];
/** mp4 language tags are ISO 639-2. */
const ISO639_2: Record<string, string> = { en: 'eng', es: 'spa', fr: 'fra', de: 'deu', it: 'ita', pt: 'por', ca: 'cat', ru: 'rus', uk: 'ukr', pl: 'pol', zh: 'zho', ja: 'jpn', ar: 'ara' };
const MP4_VIDEO_CODECS = new Set(['h264', 'hevc', 'mpeg4', 'av1', 'vp9']);

export const SAMPLE_RATE = 22_050;

/** The input's first audio stream as 16 kHz mono PCM, what speech recognisers want. */
export async function extractAudio(input: string, outWav: string): Promise<void> {
  await runTool('ffmpeg', [...FFMPEG, '-i', input, '-map', '0:a:0', '-vn', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', outWav]);
}

/** A clip played `tempo` times faster, as raw mono s16le samples at {@link SAMPLE_RATE}. */
export async function decodeClip(wav: string, tempo: number, outRaw: string): Promise<Buffer> {
  const filters = tempo > 1.001 ? ['-filter:a', `atempo=${tempo.toFixed(4)}`] : [];
  await runTool('ffmpeg', [...FFMPEG, '-i', wav, ...filters, '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', '-c:a', 'pcm_s16le', outRaw]);
  return readFile(outRaw);
}

export async function durationOf(file: string): Promise<number> {
  return (await probeMedia(file)).durationSec;
}

/** A 16-bit mono WAV header for `samples` samples at {@link SAMPLE_RATE}. */
export function wavHeader(samples: number): Buffer {
  const header = Buffer.alloc(44);
  const dataBytes = samples * 2;
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

export interface MuxInput {
  video: string;
  hasVideo: boolean;
  videoCodec?: string;
  dub?: string;
  subtitles?: string;
  language: string;
  burn: boolean;
  output: string;
}

/**
 * One mp4: the picture (copied when mp4 can hold it, re-encoded when subtitles are burned in),
 * the dubbed track first (default), the original sound second, and the subtitles as a mov_text
 * stream unless burned.
 */
export async function mux(input: MuxInput): Promise<void> {
  const lang = ISO639_2[input.language] ?? 'und';
  const args = [...FFMPEG, '-i', input.video];
  let next = 1;
  const dubIndex = input.dub ? next++ : -1;
  if (input.dub) args.push('-i', input.dub);
  const subIndex = input.subtitles && !input.burn ? next++ : -1;
  if (subIndex > 0) args.push('-i', input.subtitles!);
  if (input.hasVideo) {
    args.push('-map', '0:v:0');
    if (input.burn && input.subtitles) args.push('-vf', `subtitles=${input.subtitles.replace(/[\\:']/g, '\\$&')}`, '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p');
    else if (MP4_VIDEO_CODECS.has(input.videoCodec ?? '')) args.push('-c:v', 'copy');
    else args.push('-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p');
  }
  let audioOut = 0;
  if (dubIndex > 0) {
    args.push('-map', `${dubIndex}:a:0`, `-metadata:s:a:${audioOut}`, `language=${lang}`, `-metadata:s:a:${audioOut}`, 'title=Dub', `-disposition:a:${audioOut}`, 'default');
    audioOut++;
  }
  args.push('-map', '0:a:0?');
  if (audioOut > 0) args.push(`-disposition:a:${audioOut}`, '0');
  args.push('-c:a', 'aac', '-b:a', '128k');
  if (subIndex > 0) args.push('-map', `${subIndex}:s:0`, '-c:s', 'mov_text', '-metadata:s:s:0', `language=${lang}`);
  args.push('-movflags', '+faststart', input.output);
  await runTool('ffmpeg', args);
}

import { runTool } from './run-tool';

export interface ProbedStream {
  index: number;
  codec_type: string;
  codec_name?: string;
  duration?: string;
  tags?: Record<string, string>;
}

export interface ProbeResult {
  formatName: string;
  durationSec: number;
  streams: ProbedStream[];
  hasAudio: boolean;
  hasVideo: boolean;
}

/** What ffprobe reads from a file; rejects when the file is not a media container it can read. */
export async function probeMedia(file: string): Promise<ProbeResult> {
  const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { timeoutMs: 30_000 });
  const parsed = JSON.parse(stdout) as { format?: { format_name?: string; duration?: string }; streams?: ProbedStream[] };
  const streams = parsed.streams ?? [];
  // Still images (a PNG is a "video" stream to ffprobe) have no duration: not a video or audio.
  const hasVideo = streams.some((s) => s.codec_type === 'video' && !['png', 'mjpeg', 'bmp', 'gif', 'webp', 'tiff'].includes(s.codec_name ?? ''));
  const hasAudio = streams.some((s) => s.codec_type === 'audio');
  return {
    formatName: parsed.format?.format_name ?? 'unknown',
    durationSec: Number(parsed.format?.duration ?? 0) || 0,
    streams,
    hasAudio,
    hasVideo,
  };
}

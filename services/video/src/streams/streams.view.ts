import { ApiProperty } from '@nestjs/swagger';

/** The video of a stream as the ingest probed it (null until the first keyframe's metadata). */
export class StreamVideoView {
  codec!: string | null;
  width!: number | null;
  height!: number | null;
  fps!: number | null;
  keyframe_interval_ms!: number | null;
}

export class StreamAudioView {
  codec!: string | null;
  sample_rate!: number | null;
  channels!: number | null;
}

/** The latest video timestamp on the stream's clock and when it arrived (README, "Syncing telemetry with the video"). */
export class StreamClockView {
  stream_ms!: number;
  at!: string;
}

/** A live drone's stream (every instance reads it from the registry the ingest owner refreshes). */
export class LiveStreamStatsView {
  drone_id!: string;
  @ApiProperty({ type: 'boolean', enum: [true] })
  live!: true;
  since!: string;
  session_id!: string;
  /** Instance that owns the ingest of this stream, and where other instances proxy playback to. */
  instance!: string;
  instance_url!: string;
  video!: StreamVideoView;
  audio!: StreamAudioView;
  /** Bit rate over the last 5 s. */
  bitrate_in_kbps!: number | null;
  bitrate_out_kbps!: number | null;
  bytes_in!: number;
  bytes_out!: number;
  viewers!: number;
  clock!: StreamClockView | null;
  updated_at!: string;
}

export class OfflineStreamStatsView {
  drone_id!: string;
  @ApiProperty({ type: 'boolean', enum: [false] })
  live!: false;
}

/** A drone's stream, live or not (`live` tells which). */
export type StreamStatsView = LiveStreamStatsView | OfflineStreamStatsView;

/** The video of a session (publish sessions; null for what the ingest never saw). */
export class SessionVideoView {
  codec!: string | null;
  width!: number | null;
  height!: number | null;
  fps!: number | null;
}

/** One publish or play session of the connection history. */
export class StreamSessionView {
  id!: string;
  drone_id!: string;
  kind!: 'publish' | 'play';
  client_address!: string;
  instance!: string;
  started_at!: string;
  /** Null while the session is open. */
  ended_at!: string | null;
  duration_s!: number | null;
  bytes!: number;
  video!: SessionVideoView;
  /** Why it ended: `publisher disconnected`, `key rotated`, `drone retired`, `viewer left`, `server shutting down`, `ingest restarted`… */
  end_reason!: string | null;
}

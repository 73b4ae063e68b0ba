/** A live stream's statistics as every instance reads them (the ingest owner writes them to Redis). */
export interface LiveStreamStats {
  drone_id: string;
  live: true;
  since: string;
  session_id: string;
  /** Instance that owns the ingest of this stream, and where other instances proxy playback to. */
  instance: string;
  instance_url: string;
  video: { codec: string | null; width: number | null; height: number | null; fps: number | null; keyframe_interval_ms: number | null };
  audio: { codec: string | null; sample_rate: number | null; channels: number | null };
  bitrate_in_kbps: number | null;
  bitrate_out_kbps: number | null;
  bytes_in: number;
  bytes_out: number;
  viewers: number;
  /** Latest video timestamp on the stream's clock and when it arrived (for telemetry mapping). */
  clock: { stream_ms: number; at: string } | null;
  updated_at: string;
}

export interface OfflineStreamStats {
  drone_id: string;
  live: false;
}

export type StreamStats = LiveStreamStats | OfflineStreamStats;

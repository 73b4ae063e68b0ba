import { TelemetrySampleView as TelemetrySampleContract } from '@fleet/contracts';

/** One telemetry sample as stored and delivered (the live feed sends the same shape). */
export class TelemetrySampleView implements TelemetrySampleContract {
  drone_id!: string;
  /** When the drone measured it (ISO 8601). */
  ts!: string;
  /** When the service received it (ISO 8601). */
  received_at!: string;
  /**
   * Position on the stream's clock, in ms: the FLV/RTMP timestamp of the video frame shown at the
   * moment of the sample. Sent by the drone when it knows it, else mapped by the server; null
   * when no stream was live.
   */
  stream_ms!: number | null;
  /** Who put the sample on the stream clock: the drone (exact) or the server (mapped on receipt). */
  stream_clock!: 'drone' | 'server' | null;
  lat!: number;
  lon!: number;
  alt_m!: number | null;
  speed_mps!: number | null;
  heading_deg!: number | null;
  battery_pct!: number | null;
  signal_dbm!: number | null;
}

export class TelemetryAcceptedView {
  accepted!: number;
  /** The newest of the posted samples, as stored. */
  latest!: TelemetrySampleView;
}

/** The average of one time bucket of the track. */
export class TrackPointView {
  /** The bucket's average sample time. */
  ts!: string;
  lat!: number;
  lon!: number;
  alt_m!: number | null;
  speed_mps!: number | null;
  /** The bucket's lowest battery reading. */
  battery_pct!: number | null;
  /** Samples averaged into this point. */
  samples!: number;
}

/** A downsampled track: averages over equal time buckets; buckets without samples are left out. */
export class TrackView {
  from!: string;
  to!: string;
  bucket_ms!: number;
  points!: TrackPointView[];
}

/** The video side of link health: the other fields are there while the drone is live. */
export class LinkVideoView {
  live!: boolean;
  fps?: number | null;
  bitrate_in_kbps?: number | null;
  viewers?: number;
  last_frame_at?: string | null;
}

/** Telemetry over the health window (the last minute). */
export class LinkTelemetryView {
  window_s!: number;
  samples!: number;
  rate_hz!: number;
  /** Largest gap between samples in the window. */
  max_gap_ms!: number | null;
  last_sample_at!: string | null;
  last_received_at!: string | null;
}

/** A drone's link health over the last minute. */
export class LinkHealthView {
  drone_id!: string;
  video!: LinkVideoView;
  telemetry!: LinkTelemetryView;
  /** The latest video frame or telemetry sample received. */
  last_seen!: string | null;
  last_seen_ago_s!: number | null;
}

import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { defineEvent } from '../rpc';

/**
 * The video service's contracts: stream events on RabbitMQ, and the live feed on
 * `/video_api/ws` shared by the service, its tests, the benchmark and TypeScript clients.
 */

/** Payload of a stream's publish / unpublish event. */
export class StreamEventParams {
  @IsUUID()
  droneId!: string;

  /** The connection-history row of this publish session. */
  @IsUUID()
  sessionId!: string;

  @IsIn(['published', 'unpublished'])
  state!: 'published' | 'unpublished';

  @IsISO8601()
  at!: string;

  /** Video instance that owns the ingest. */
  @IsString()
  instance!: string;

  @IsOptional() @IsInt() @Min(0)
  bytesIn?: number;
}

/** A drone started publishing (emitted once NMS accepted the stream key). */
export const StreamPublished = defineEvent('video.stream.published.v1', StreamEventParams);
/** A drone's publish session ended (see the end reasons in the session history). */
export const StreamUnpublished = defineEvent('video.stream.unpublished.v1', StreamEventParams);

/** WebSocket close codes of `/video_api/ws`. */
export enum VideoWsCloseCode {
  Unauthorized = 4401,
  Forbidden = 4403,
  /** The client fell too far behind even after sampling; reconnect. */
  SlowConsumer = 4408,
  ServerShutdown = 1001,
}

/** Drones one socket may follow at once. */
export const VIDEO_WS_MAX_SUBSCRIPTIONS = 256;

/** Client -> server frames. */
export type VideoWsClientFrame =
  | { type: 'subscribe'; drones: string[] }
  | { type: 'unsubscribe'; drones: string[] };

/** One telemetry sample as stored and delivered (snake_case, as the HTTP API answers). */
export interface TelemetrySampleView {
  drone_id: string;
  /** When the drone measured it (ISO 8601). */
  ts: string;
  /** When the service received it (ISO 8601). */
  received_at: string;
  /**
   * Position on the stream's clock, in ms: the FLV/RTMP timestamp of the video frame shown at the
   * moment of the sample. Sent by the drone when it knows it, else mapped by the server; null
   * when no stream was live.
   */
  stream_ms: number | null;
  stream_clock: 'drone' | 'server' | null;
  lat: number;
  lon: number;
  alt_m: number | null;
  speed_mps: number | null;
  heading_deg: number | null;
  battery_pct: number | null;
  signal_dbm: number | null;
}

/** Server -> client frames. */
export type VideoWsServerFrame =
  | { type: 'welcome'; instance: string }
  | { type: 'subscribed'; drones: string[] }
  | { type: 'telemetry'; drone_id: string; sample: TelemetrySampleView; sampled?: boolean }
  | { type: 'stream'; drone_id: string; state: 'published' | 'unpublished'; at: string; session_id: string }
  | { type: 'error'; message: string };

import path from 'node:path';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';

/** The video service's own variables on top of the common ones. */
export class VideoEnv extends CommonEnv {
  override DATABASE_URL: string = 'postgres://svc_video:svc_video@127.0.0.1:5432/fleet';

  /** RTMP ingest port of the instance that owns the ingest (only one process can bind it). */
  @IsInt() @Min(1) @Max(65535)
  RTMP_PORT: number = 1935;

  /** Address the RTMP server binds. */
  @IsString()
  RTMP_BIND: string = '0.0.0.0';

  /**
   * Which instance runs the RTMP ingest: its INSTANCE_ID, `*` (every instance: one per host or
   * container, each with its own port) or `none`. The others serve the API, the WebSocket and
   * playback (proxied to the owner).
   */
  @IsString() @Matches(/^(\*|none|[a-z0-9-]+)$/)
  VIDEO_INGEST_INSTANCE: string = 'video-1';

  /** How other instances reach this one's HTTP port for proxied playback; default http://127.0.0.1:PORT. */
  @IsOptional() @IsString()
  VIDEO_ADVERTISE_URL?: string;

  /** HMAC secret of signed play URLs; when unset the instances agree on a random one through Redis. */
  @IsOptional() @IsString() @MinLength(16)
  VIDEO_PLAY_SECRET?: string;

  /** Lifetime of a signed play URL. */
  @IsInt() @Min(10) @Max(86_400)
  VIDEO_PLAY_URL_TTL_S: number = 300;

  /** Where recordings of drones with `record` on are written (shared by every instance: a volume in compose). */
  @IsString()
  VIDEO_RECORDINGS_DIR: string = '.dev/video-recordings';

  /** Length of one recorded MP4 segment. */
  @IsInt() @Min(1) @Max(3600)
  VIDEO_RECORD_SEGMENT_S: number = 60;
}

export interface VideoConfig extends FleetConfig {
  ingest: { enabled: boolean; port: number; bind: string };
  playback: { advertiseUrl: string; secret?: string; urlTtlS: number };
  recording: { dir: string; segmentS: number };
}

export const VIDEO_CONFIG = Symbol('VIDEO_CONFIG');

export function toVideoConfig(env: VideoEnv): VideoConfig {
  const owner = env.VIDEO_INGEST_INSTANCE;
  return {
    ...toFleetConfig('video', env),
    ingest: {
      enabled: owner === '*' || owner === env.INSTANCE_ID,
      port: env.RTMP_PORT,
      bind: env.RTMP_BIND,
    },
    playback: {
      advertiseUrl: env.VIDEO_ADVERTISE_URL ?? `http://127.0.0.1:${env.PORT}`,
      secret: env.VIDEO_PLAY_SECRET,
      urlTtlS: env.VIDEO_PLAY_URL_TTL_S,
    },
    recording: { dir: path.resolve(env.VIDEO_RECORDINGS_DIR), segmentS: env.VIDEO_RECORD_SEGMENT_S },
  };
}

const loader = cachedLoader(() => toVideoConfig(validateEnv(VideoEnv)));
export const loadVideoConfig = loader.get;
export const clearVideoConfigCache = loader.clear;

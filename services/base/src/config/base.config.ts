import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';

/** The common variables plus base's own. */
export class BaseEnv extends CommonEnv {
  override DATABASE_URL: string = 'postgres://svc_base:svc_base@127.0.0.1:5432/fleet';

  /** Requests per second one robot may make on `/robot/…` routes (fixed one-second window in Redis). */
  @IsInt() @Min(1) @Max(100_000)
  ROBOT_RATE_LIMIT_PER_SECOND: number = 50;

  /** A robot counts as online this long after its last heartbeat. */
  @IsInt() @Min(1) @Max(3600)
  ROBOT_ONLINE_TTL_SECONDS: number = 30;

  /** Lifetime of a cached ticket in Redis; changes overwrite the entry, the expiry only bounds memory. */
  @IsInt() @Min(1) @Max(86_400)
  TICKET_CACHE_TTL_SECONDS: number = 300;

  /** HMAC-SHA256 key of boarding decision records (at least 32 characters); the default is for development only. */
  @IsString() @MinLength(32)
  BOARDING_SIGNING_KEY: string = 'development-only-boarding-key-change-me';

  /**
   * Liveness at boarding: `off`; `motion`, at least two frames with natural variation between them
   * (a replayed still photo has none); `model`, motion plus the experimental liveness model.
   */
  @IsIn(['off', 'motion', 'model'])
  BOARDING_LIVENESS: 'off' | 'motion' | 'model' = 'off';
}

export interface RobotApiConfig {
  rateLimitPerSecond: number;
  onlineTtlSeconds: number;
  ticketCacheTtlSeconds: number;
}

export interface BoardingConfig {
  signingKey: string;
  liveness: 'off' | 'motion' | 'model';
}

export type BaseConfig = FleetConfig & { robotApi: RobotApiConfig; boarding: BoardingConfig };

export const BASE_CONFIG = Symbol('BASE_CONFIG');

function toBaseConfig(env: BaseEnv): BaseConfig {
  return {
    ...toFleetConfig('base', env),
    robotApi: {
      rateLimitPerSecond: env.ROBOT_RATE_LIMIT_PER_SECOND,
      onlineTtlSeconds: env.ROBOT_ONLINE_TTL_SECONDS,
      ticketCacheTtlSeconds: env.TICKET_CACHE_TTL_SECONDS,
    },
    boarding: { signingKey: env.BOARDING_SIGNING_KEY, liveness: env.BOARDING_LIVENESS },
  };
}

const loader = cachedLoader(() => toBaseConfig(validateEnv(BaseEnv)));
export const loadBaseConfig = loader.get;
export const clearBaseConfigCache = loader.clear;

import { IsInt, Max, Min } from 'class-validator';
import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';

/** base reads only the common variables today; its own ones go here. */
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
}

export interface RobotApiConfig {
  rateLimitPerSecond: number;
  onlineTtlSeconds: number;
  ticketCacheTtlSeconds: number;
}

export type BaseConfig = FleetConfig & { robotApi: RobotApiConfig };

export const BASE_CONFIG = Symbol('BASE_CONFIG');

function toBaseConfig(env: BaseEnv): BaseConfig {
  return {
    ...toFleetConfig('base', env),
    robotApi: {
      rateLimitPerSecond: env.ROBOT_RATE_LIMIT_PER_SECOND,
      onlineTtlSeconds: env.ROBOT_ONLINE_TTL_SECONDS,
      ticketCacheTtlSeconds: env.TICKET_CACHE_TTL_SECONDS,
    },
  };
}

const loader = cachedLoader(() => toBaseConfig(validateEnv(BaseEnv)));
export const loadBaseConfig = loader.get;
export const clearBaseConfigCache = loader.clear;

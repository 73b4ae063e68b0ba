import { IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';

export class StoreEnv extends CommonEnv {
  override DATABASE_URL: string = 'postgres://svc_store:svc_store@127.0.0.1:5432/fleet';

  /** IANA time zone of the station: opening hours are read in it. */
  @IsString()
  STORE_TIMEZONE: string = 'UTC';

  /** Accounting/CRM webhook; without it the outbox keeps every record undelivered. */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  STORE_EXPORT_WEBHOOK_URL?: string;

  /** HMAC-SHA256 key of the `X-Fleet-Signature` header; required when a webhook is set. */
  @IsOptional() @IsString() @MinLength(16)
  STORE_EXPORT_WEBHOOK_SECRET?: string;

  /** Deliveries tried per record before it is marked failed (operators may retry it). */
  @IsInt() @Min(1) @Max(100)
  STORE_EXPORT_MAX_ATTEMPTS: number = 8;

  /** First retry delay; doubles per attempt up to 5 minutes. */
  @IsInt() @Min(10) @Max(600_000)
  STORE_EXPORT_BACKOFF_MS: number = 1000;

  @IsInt() @Min(50) @Max(600_000)
  STORE_EXPORT_POLL_MS: number = 1000;

  @IsInt() @Min(100) @Max(60_000)
  STORE_EXPORT_TIMEOUT_MS: number = 5000;
}

export interface StoreConfig extends FleetConfig {
  timezone: string;
  export: {
    webhookUrl?: string;
    secret?: string;
    maxAttempts: number;
    backoffMs: number;
    pollMs: number;
    timeoutMs: number;
  };
}

export const STORE_CONFIG = Symbol('STORE_CONFIG');

function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
  } catch {
    throw new Error(`Invalid environment:\n  - STORE_TIMEZONE: "${zone}" is not an IANA time zone`);
  }
}

export function toStoreConfig(env: StoreEnv): StoreConfig {
  assertTimeZone(env.STORE_TIMEZONE);
  if (env.STORE_EXPORT_WEBHOOK_URL && !env.STORE_EXPORT_WEBHOOK_SECRET) {
    throw new Error('Invalid environment:\n  - STORE_EXPORT_WEBHOOK_SECRET: required when STORE_EXPORT_WEBHOOK_URL is set');
  }
  return {
    ...toFleetConfig('store', env),
    timezone: env.STORE_TIMEZONE,
    export: {
      webhookUrl: env.STORE_EXPORT_WEBHOOK_URL,
      secret: env.STORE_EXPORT_WEBHOOK_SECRET,
      maxAttempts: env.STORE_EXPORT_MAX_ATTEMPTS,
      backoffMs: env.STORE_EXPORT_BACKOFF_MS,
      pollMs: env.STORE_EXPORT_POLL_MS,
      timeoutMs: env.STORE_EXPORT_TIMEOUT_MS,
    },
  };
}

const loader = cachedLoader(() => toStoreConfig(validateEnv(StoreEnv)));
export const loadStoreConfig = loader.get;
export const clearStoreConfigCache = loader.clear;

import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, Matches } from 'class-validator';

const urlOptions = { require_tld: false, require_protocol: true };

/**
 * Variables every service reads. A service's own env class extends this one and adds only
 * what that service uses (novu's worker/api split).
 */
export class CommonEnv {
  // Every field carries an explicit type: emitDecoratorMetadata records only declared types,
  // and implicit conversion ("8080" -> 8080) depends on it.
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsString() @Matches(/^[a-z0-9-]+$/)
  INSTANCE_ID: string = `${process.pid}`;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
  LOG_LEVEL: string = 'info';

  @IsOptional() @IsString()
  LOG_DIR?: string;

  @IsUrl({ ...urlOptions, protocols: ['postgres', 'postgresql'] })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/fleet';

  @IsUrl({ ...urlOptions, protocols: ['redis', 'rediss'] })
  REDIS_URL: string = 'redis://127.0.0.1:6379';

  @IsUrl({ ...urlOptions, protocols: ['amqp', 'amqps'] })
  RABBITMQ_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  /** Unacked RPC messages per consumer (and RPC handlers running at once). */
  @IsInt() @Min(1) @Max(10_000)
  RMQ_PREFETCH: number = 32;

  /** The same for domain events, which have their own channel; default: RMQ_PREFETCH. */
  @IsOptional() @IsInt() @Min(1) @Max(10_000)
  RMQ_EVENT_PREFETCH?: number;

  @IsInt() @Min(1) @Max(100)
  RMQ_MAX_DELIVERIES: number = 5;

  @IsInt() @Min(50) @Max(600_000)
  RPC_DEADLINE_MS: number = 5000;

  @IsUrl(urlOptions)
  KEYCLOAK_URL: string = 'http://127.0.0.1:8080/keycloak';

  @IsString()
  KEYCLOAK_REALM: string = 'fleet';

  /** Client id the services check resource roles against; keycloak-connect needs one. */
  @IsString()
  KEYCLOAK_CLIENT_ID: string = 'fleet-api';

  /** Base64 SPKI of the realm key; when absent the key is fetched from Keycloak and cached. */
  @IsOptional() @IsString()
  KEYCLOAK_REALM_PUBLIC_KEY?: string;

  /**
   * Service account that creates, rotates and disables robot and drone clients through the
   * Admin REST API (`fleet-provisioner` in the realm file). Unset: registering a robot or drone
   * makes no client (it must then exist in Keycloak already).
   */
  @IsOptional() @IsString()
  KEYCLOAK_PROVISIONER_CLIENT_ID?: string;

  @IsOptional() @IsString()
  KEYCLOAK_PROVISIONER_SECRET?: string;

  /**
   * Where the provisioner reaches the Admin REST API: the provider's own address (compose:
   * http://keycloak:8080/keycloak), since the gateway refuses /keycloak/admin. Default: KEYCLOAK_URL.
   */
  @IsOptional() @IsUrl(urlOptions)
  KEYCLOAK_PROVISIONER_URL?: string;
}

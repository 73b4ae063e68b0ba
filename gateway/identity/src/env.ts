import path from 'node:path';
import { IsIn, IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { cachedLoader, validateEnv } from '@fleet/config';

const urlOptions = { require_tld: false, require_protocol: true };

/** The realm export that compose imports into Keycloak; the one source of truth for users, roles and clients. */
export const DEFAULT_REALM_FILE = path.resolve(__dirname, '..', '..', '..', 'keycloak', 'fleet-realm.json');

/** Environment of the local identity provider (`node dist/src/main.js`). */
export class IdentityEnv {
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3071;

  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** Its own role and schema (`identity`), provisioned by `node dist/src/migrate.js`. */
  @IsUrl({ ...urlOptions, protocols: ['postgres', 'postgresql'] })
  DATABASE_URL: string = 'postgres://svc_identity:svc_identity@127.0.0.1:5432/fleet';

  /**
   * Public base URL of the gateway (scheme, host, port; no path): the issuer is
   * `<IDENTITY_PUBLIC_URL>/keycloak/realms/<realm>`, which must equal the services' KEYCLOAK_URL + /realms/<realm>.
   */
  @IsUrl(urlOptions)
  IDENTITY_PUBLIC_URL: string = 'http://127.0.0.1:8080';

  /** Path under the public URL where the gateway mounts the provider (Keycloak's `/keycloak`). */
  @IsString() @Matches(/^(\/[A-Za-z0-9._-]+)*$/)
  IDENTITY_BASE_PATH: string = '/keycloak';

  @IsString()
  IDENTITY_REALM_FILE: string = DEFAULT_REALM_FILE;

  /** Consecutive failed sign-ins before an account is locked (Keycloak: failureFactor). */
  @IsInt() @Min(1) @Max(1000)
  IDENTITY_MAX_LOGIN_FAILURES: number = 5;

  /** How long a locked account stays locked (Keycloak: waitIncrementSeconds). */
  @IsInt() @Min(1) @Max(86_400)
  IDENTITY_LOCKOUT_SECONDS: number = 60;

  /** Refresh-token lifetime (Keycloak: SSO session idle). */
  @IsInt() @Min(60) @Max(30 * 86_400)
  IDENTITY_REFRESH_TOKEN_SECONDS: number = 1800;
}

export interface IdentityConfig {
  port: number;
  databaseUrl: string;
  publicUrl: string;
  basePath: string;
  realmFile: string;
  bruteForce: { maxFailures: number; lockoutSeconds: number };
  refreshTokenSeconds: number;
  production: boolean;
}

export function toIdentityConfig(env: IdentityEnv): IdentityConfig {
  return {
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    publicUrl: env.IDENTITY_PUBLIC_URL.replace(/\/+$/, ''),
    basePath: env.IDENTITY_BASE_PATH,
    realmFile: path.resolve(env.IDENTITY_REALM_FILE),
    bruteForce: { maxFailures: env.IDENTITY_MAX_LOGIN_FAILURES, lockoutSeconds: env.IDENTITY_LOCKOUT_SECONDS },
    refreshTokenSeconds: env.IDENTITY_REFRESH_TOKEN_SECONDS,
    production: env.NODE_ENV === 'production',
  };
}

const loader = cachedLoader(() => toIdentityConfig(validateEnv(IdentityEnv)));
export const loadIdentityConfig = loader.get;

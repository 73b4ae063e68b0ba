import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ManagedChild, runToCompletion } from './child-process';
import { waitForHttp } from './http-ready';

/** Port of the local identity provider under `npm start` (plus FLEET_PORT_OFFSET). */
export const DEFAULT_IDENTITY_PORT = 3071;

/** The realm file's service account that provisions robot and drone clients (its secret is for development only). */
export const PROVISIONER_CLIENT_ID = 'fleet-provisioner';

/** What the services need to provision clients against the local provider: the realm file's development credentials. */
export function localProvisionerEnv(root: string): Record<string, string> {
  const realm = JSON.parse(readFileSync(path.join(root, 'gateway', 'keycloak', 'fleet-realm.json'), 'utf8')) as { clients?: Array<{ clientId: string; secret?: string }> };
  const secret = realm.clients?.find((client) => client.clientId === PROVISIONER_CLIENT_ID)?.secret;
  return secret ? { KEYCLOAK_PROVISIONER_CLIENT_ID: PROVISIONER_CLIENT_ID, KEYCLOAK_PROVISIONER_SECRET: secret } : {};
}

export interface LocalIdentityOptions {
  root: string;
  logDir: string;
  port: number;
  /** Its own role and schema (`identity`) in the fleet's database. */
  databaseUrl: string;
  databaseAdminUrl: string;
  /** The gateway's base URL: the issuer is `<publicUrl>/keycloak/realms/fleet`. */
  publicUrl: string;
  timeoutMs?: number;
}

/**
 * The Keycloak-compatible OpenID provider (gateway/identity) that stands in for Keycloak under
 * `npm start`: its migrations, then the provider, waiting for its /health. nginx routes
 * /keycloak to it, and the services trust it as they trust Keycloak (its JWKS).
 */
export async function startLocalIdentity(options: LocalIdentityOptions): Promise<ManagedChild> {
  const dist = path.join(options.root, 'gateway', 'identity', 'dist', 'src');
  const env = { ...process.env, DATABASE_URL: options.databaseUrl, DATABASE_ADMIN_URL: options.databaseAdminUrl, NODE_ENV: 'development' };
  await runToCompletion(
    { name: 'migrations of identity', command: process.execPath, args: [path.join(dist, 'migrate.js')], cwd: options.root, env, logFile: path.join(options.logDir, 'migrate-identity.log') },
    120_000,
  );
  const child = new ManagedChild({
    name: 'identity',
    command: process.execPath,
    args: [path.join(dist, 'main.js')],
    cwd: options.root,
    env: { ...env, PORT: String(options.port), IDENTITY_PUBLIC_URL: options.publicUrl },
    logFile: path.join(options.logDir, 'identity.log'),
  });
  await waitForHttp(`http://127.0.0.1:${options.port}/health`, child, options.timeoutMs ?? 30_000, 'identity');
  return child;
}

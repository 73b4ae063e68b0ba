import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { Browser, createTestDatabase, freeTcpPort, signInWithCodeFlow, TestDatabase } from '@fleet/testing';
import {
  DEFAULT_REALM_FILE, identityDataSourceOptions, IdentityConfig, IdentityServer, parseRealm, Realm, stableUserId,
} from '../src';

export const CONSOLE_REDIRECT = 'http://127.0.0.1:8080/';
export const OPERATOR = { username: 'operator', password: 'operator-dev-password-DEV-ONLY' };
export const LOCKED_USER = { username: 'lock-me', password: 'lock-me-password' };
export const ROBOT = { clientId: 'robot-01', secret: 'robot-01-dev-secret-change-me' };

export const PROVISIONER = { clientId: 'fleet-provisioner', secret: 'fleet-provisioner-dev-secret-change-me' };
export const AUDITOR = { clientId: 'fleet-auditor', secret: 'fleet-auditor-dev-secret-change-me' };

/** The realm-management roles the services' provisioner needs (Keycloak's names). */
export const PROVISIONER_ROLES = ['manage-clients', 'view-clients', 'manage-users', 'view-users', 'view-realm'];

/** A confidential service-account client as Keycloak's realm export writes it, and its service-account user. */
function serviceAccountClient(clientId: string, secret: string, name: string, clientRoles: Record<string, string[]>) {
  return {
    client: {
      clientId, name, enabled: true, publicClient: false, clientAuthenticatorType: 'client-secret', secret,
      protocol: 'openid-connect', standardFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: true,
    },
    user: { username: `service-account-${clientId}`, enabled: true, serviceAccountClientId: clientId, clientRoles },
  };
}

/**
 * The real realm file, plus one user the lockout test may lock, the provisioner client of the
 * Admin REST API (the entry proposed for the realm file) and an auditor that may only view clients.
 */
export function testRealm(): Realm {
  const raw = JSON.parse(readFileSync(DEFAULT_REALM_FILE, 'utf8')) as { clients: unknown[]; users: unknown[] };
  for (const { client, user } of [
    serviceAccountClient(PROVISIONER.clientId, PROVISIONER.secret, 'Fleet provisioner (DEV ONLY secret)', { 'realm-management': PROVISIONER_ROLES }),
    serviceAccountClient(AUDITOR.clientId, AUDITOR.secret, 'Fleet auditor (tests)', { 'realm-management': ['view-clients'] }),
  ]) {
    if (!raw.clients.some((c) => (c as { clientId: string }).clientId === client.clientId)) {
      raw.clients.push(client);
      raw.users.push(user);
    }
  }
  const realm = parseRealm(JSON.stringify(raw));
  realm.users.push({
    id: stableUserId(realm.name, LOCKED_USER.username),
    username: LOCKED_USER.username,
    enabled: true,
    emailVerified: false,
    roles: ['operator'],
    passwordDigest: createHash('sha256').update(LOCKED_USER.password).digest(),
  });
  return realm;
}

export interface RunningIdentity {
  server: IdentityServer;
  db: TestDatabase;
  config: IdentityConfig;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** `<base>/keycloak/realms/fleet` */
  issuer: string;
  endpoint(name: 'auth' | 'token' | 'certs' | 'userinfo' | 'logout' | 'token/introspect'): string;
  /** A new provider process-equivalent on the same database and port (a restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export function identityConfig(databaseUrl: string, port: number, overrides: Partial<IdentityConfig> = {}): IdentityConfig {
  return {
    port,
    databaseUrl,
    publicUrl: `http://127.0.0.1:${port}`,
    basePath: '/keycloak',
    realmFile: DEFAULT_REALM_FILE,
    bruteForce: { maxFailures: 5, lockoutSeconds: 60 },
    refreshTokenSeconds: 1800,
    production: false,
    ...overrides,
  };
}

/** A fresh database (provisioned and migrated as role svc_identity) and a provider on a free port. */
export async function startIdentity(overrides: Partial<IdentityConfig> = {}): Promise<RunningIdentity> {
  const db = await createTestDatabase('identity', 'svc_identity', identityDataSourceOptions);
  const port = await freeTcpPort();
  const config = identityConfig(db.url, port, overrides);
  let server = await IdentityServer.create(config, { realm: testRealm() });
  await server.listen(port, '127.0.0.1');
  const running: RunningIdentity = {
    get server() { return server; },
    db,
    config,
    base: config.publicUrl,
    issuer: server.issuer,
    endpoint: (name) => `${server.issuer}/protocol/openid-connect/${name}`,
    async restart() {
      await server.close();
      server = await IdentityServer.create(config, { realm: testRealm() });
      await server.listen(port, '127.0.0.1');
    },
    async stop() {
      await server.close();
      await db.drop();
    },
  };
  return running;
}

export { Browser, CookieJar, parseLoginForm, pkcePair } from '@fleet/testing';

export function authorizeUrl(identity: RunningIdentity, params: Record<string, string | undefined>): string {
  const url = new URL(identity.endpoint('auth'));
  for (const [key, value] of Object.entries({ client_id: 'fleet-console', response_type: 'code', scope: 'openid profile email', redirect_uri: CONSOLE_REDIRECT, state: randomBytes(8).toString('hex'), ...params })) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.href;
}

export async function postToken(identity: RunningIdentity, form: Record<string, string>, basic?: { id: string; secret: string }): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`;
  return fetch(identity.endpoint('token'), { method: 'POST', headers, body: new URLSearchParams(form).toString() });
}

/** A client's access token by client credentials (asserting the provider gave one). */
export async function clientToken(identity: RunningIdentity, id: string, secret: string): Promise<string> {
  const response = await postToken(identity, { grant_type: 'client_credentials' }, { id, secret });
  if (response.status !== 200) throw new Error(`client credentials for ${id}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The official admin client (ESM-only), authenticated by client credentials as the services do it. */
export async function adminClient(identity: RunningIdentity, credentials: { clientId: string; secret: string }): Promise<KeycloakAdminClient> {
  const { default: KcAdminClient } = await import('@keycloak/keycloak-admin-client');
  const client = new KcAdminClient({ baseUrl: `${identity.base}/keycloak`, realmName: 'fleet' });
  await client.auth({ grantType: 'client_credentials', clientId: credentials.clientId, clientSecret: credentials.secret });
  return client;
}

/**
 * Runs the browser part of the code flow: authorize, login page, credentials, back to the client's
 * redirect URI. Answers the code (and the browser, whose cookies hold the session).
 */
export function signIn(identity: RunningIdentity, browser: Browser, pkce: { challenge: string }, credentials = OPERATOR): Promise<{ code: string; state: string }> {
  return signInWithCodeFlow({ browser, authEndpoint: identity.endpoint('auth'), clientId: 'fleet-console', redirectUri: CONSOLE_REDIRECT, challenge: pkce.challenge, credentials });
}

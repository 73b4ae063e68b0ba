import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createTestDatabase, freeTcpPort, TestDatabase } from '@fleet/testing';
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

/** A cookie jar that honours Path, Max-Age/Expires deletion and host-only cookies (one host here). */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key, val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) < Date.now()) expired = true;
      }
      const key = `${name}\u0000${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: string): string | undefined {
    const { pathname } = new URL(url);
    const matching = [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  names(): string[] {
    return [...this.cookies.values()].map((c) => c.name);
  }
}

/** fetch without following redirects, with a cookie jar. */
export class Browser {
  readonly jar = new CookieJar();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.jar.store(response.headers.getSetCookie());
    return response;
  }

  /** Follows redirects on the provider's own origin; stops at the first one leaving it (the client's redirect URI). */
  async follow(url: string, origin: string, init: RequestInit = {}): Promise<{ response: Response; location?: string }> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) return { response };
      const next = new URL(location, url).href;
      if (new URL(next).origin !== origin) return { response, location: next };
      response = await this.request(next);
      url = next;
    }
    throw new Error('too many redirects');
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The hidden field and form action of the login page. */
export function parseLoginForm(html: string): { action: string; csrf: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrf) throw new Error(`not a login page:\n${html.slice(0, 500)}`);
  return { action: action.replace(/&amp;/g, '&'), csrf };
}

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

/**
 * Runs the browser part of the code flow: authorize, login page, credentials, back to the client's
 * redirect URI. Answers the code (and the browser, whose cookies hold the session).
 */
export async function signIn(identity: RunningIdentity, browser: Browser, pkce: { challenge: string }, credentials = OPERATOR): Promise<{ code: string; state: string }> {
  const state = randomBytes(8).toString('hex');
  const start = await browser.follow(authorizeUrl(identity, { code_challenge: pkce.challenge, code_challenge_method: 'S256', state }), identity.base);
  let location = start.location;
  if (!location) {
    if (start.response.status !== 200) throw new Error(`authorize answered ${start.response.status}: ${await start.response.text()}`);
    const { action, csrf } = parseLoginForm(await start.response.text());
    const submitted = await browser.postForm(new URL(action, identity.base).href, { csrf, username: credentials.username, password: credentials.password });
    if (submitted.status !== 303) throw new Error(`login answered ${submitted.status}: ${await submitted.text()}`);
    ({ location } = await browser.follow(new URL(submitted.headers.get('location')!, identity.base).href, identity.base));
  }
  const redirect = new URL(location!);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  if (redirect.searchParams.get('state') !== state) throw new Error('state mismatch');
  return { code, state };
}

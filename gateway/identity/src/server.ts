import { createHmac, createPublicKey, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import type Provider from 'oidc-provider';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, JWTPayload } from 'jose';
import { sweepExpired } from './adapter';
import { ClientStore } from './clients';
import { BruteForceGuard } from './brute-force';
import { UserDirectory, userClaims } from './accounts';
import { createIdentityPool } from './db';
import type { IdentityConfig } from './env';
import { ensureSecret, ensureSigningKey, loadSigningKeys, signingKeyGeneration, SigningJwk } from './keys';
import { loginPage, messagePage, PAGE_HEADERS, thirdPartyCookiesPage } from './pages';
import { buildProvider, KEYCLOAK_ROUTES } from './provider';
import { loadRealm, Realm, serviceAccountUsername } from './realm';
import { RefreshTokenWrapper } from './refresh-wrapper';
import { readBody, sendJson } from './http';
import { AdminApi } from './admin-api';
import { UserStore } from './user-store';

type Req = IncomingMessage & { baseUrl?: string; body?: string };

/** POST endpoints whose body may carry a refresh token, and the parameter that does. */
const TOKEN_PARAMETERS: Record<string, string> = {
  [KEYCLOAK_ROUTES.token]: 'refresh_token',
  [KEYCLOAK_ROUTES.introspection]: 'token',
  [KEYCLOAK_ROUTES.revocation]: 'token',
};

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...PAGE_HEADERS, ...headers });
  res.end(html);
}

const isJwt = (value: string | undefined): value is string => {
  if (!value) return false;
  try {
    return !!decodeProtectedHeader(value);
  } catch {
    return false;
  }
};

const safeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

interface Built {
  generation: string;
  provider: Provider;
  callback: (req: IncomingMessage, res: ServerResponse) => void;
  jwks: ReturnType<typeof createLocalJWKSet>;
  newestPublicKey: string;
}

export interface IdentityServerOptions {
  /** Clock of brute-force detection (tests). */
  now?: () => number;
  realm?: Realm;
}

/**
 * The local Keycloak-compatible OpenID provider: oidc-provider for the protocol, this class for
 * mounting it at Keycloak's paths, the login page, /health, and the parts oidc-provider leaves to
 * a deployment for JWT access tokens (userinfo and introspection of a JWT access token).
 */
export class IdentityServer {
  readonly issuer: string;
  /** Path of the realm as the gateway publishes it, e.g. `/keycloak/realms/fleet`. */
  readonly realmPath: string;
  readonly clients: ClientStore;
  readonly users: UserDirectory;
  /** Users created through the Admin REST API. */
  readonly userStore: UserStore;
  private readonly adminApi: AdminApi;
  private readonly refreshTokens: RefreshTokenWrapper;
  private built: Built | undefined;
  private building: Promise<Built> | undefined;
  private server: Server | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  private constructor(
    readonly config: IdentityConfig,
    readonly realm: Realm,
    readonly pool: Pool,
    private readonly cookieKey: string,
    refreshKey: string,
    now: () => number,
  ) {
    this.realmPath = `${config.basePath}/realms/${realm.name}`;
    this.issuer = `${config.publicUrl}${this.realmPath}`;
    this.refreshTokens = new RefreshTokenWrapper(Buffer.from(refreshKey, 'base64url'), this.issuer);
    this.clients = new ClientStore(pool);
    this.users = new UserDirectory(realm, new BruteForceGuard(pool, config.bruteForce, now));
    this.userStore = new UserStore(pool);
    this.adminApi = new AdminApi({
      realm,
      clients: this.clients,
      users: this.userStore,
      verify: async (token) => this.verifyAccessToken(await this.current(), token),
      publicBase: `${config.publicUrl}${config.basePath}/admin/realms/${realm.name}`,
    }, config.basePath);
  }

  /** Loads the realm, makes the first signing key and cookie secret if missing, imports the realm's clients. */
  static async create(config: IdentityConfig, options: IdentityServerOptions = {}): Promise<IdentityServer> {
    const realm = options.realm ?? loadRealm(config.realmFile);
    const pool = createIdentityPool(config.databaseUrl);
    try {
      await ensureSigningKey(pool);
      const cookieKey = await ensureSecret(pool, 'cookie-key');
      const refreshKey = await ensureSecret(pool, 'refresh-token-key');
      const server = new IdentityServer(config, realm, pool, cookieKey, refreshKey, options.now ?? Date.now);
      await server.clients.importRealmClients(realm.clients);
      await server.current();
      return server;
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Listens on `port` (0: any free port); answers the port. */
  async listen(port = this.config.port, host = '0.0.0.0'): Promise<number> {
    const server = createServer((req, res) => {
      this.handle(req as Req, res).catch((error: unknown) => {
        const status = (error as { status?: number }).status ?? 500;
        if (status >= 500) console.error('[identity]', error);
        if (!res.headersSent) sendJson(res, status, { error: status >= 500 ? 'server_error' : 'invalid_request' });
        else res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.sweeper = setInterval(() => void sweepExpired(this.pool).catch(() => undefined), 5 * 60_000);
    this.sweeper.unref();
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.server) {
      const server = this.server;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await this.pool.end();
  }

  /** The provider for the current key set; rebuilt when a key was added (by this or another process). */
  async current(): Promise<Built> {
    const generation = await signingKeyGeneration(this.pool);
    if (this.built?.generation === generation) return this.built;
    this.building ??= this.build().finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async build(): Promise<Built> {
    const { generation, keys } = await loadSigningKeys(this.pool);
    const provider = buildProvider({
      issuer: this.issuer,
      realmPath: this.realmPath,
      pool: this.pool,
      clients: this.clients,
      users: this.users,
      keys,
      cookieKeys: [this.cookieKey],
      accessTokenSeconds: this.realm.accessTokenLifespan,
      refreshTokenSeconds: this.config.refreshTokenSeconds,
      secureCookies: this.config.publicUrl.startsWith('https:'),
      refreshTokens: this.refreshTokens,
    });
    const publicKeys = keys.map(({ kty, kid, alg, use, n, e }: SigningJwk) => ({ kty, kid, alg, use, n, e }));
    this.built = {
      generation,
      provider,
      callback: provider.callback(),
      jwks: createLocalJWKSet({ keys: publicKeys }),
      newestPublicKey: createPublicKey({ key: publicKeys[0], format: 'jwk' }).export({ type: 'spki', format: 'der' }).toString('base64'),
    };
    return this.built;
  }

  /** The path inside the realm, or undefined when the request is not for this realm. */
  private realmRelativePath(pathname: string): string | undefined {
    // Through the gateway (`/keycloak/realms/fleet/...`), or with the gateway's prefix stripped.
    for (const prefix of [this.realmPath, `/realms/${this.realm.name}`]) {
      if (pathname === prefix) return '/';
      if (pathname.startsWith(`${prefix}/`)) return pathname.slice(prefix.length);
    }
    return undefined;
  }

  private async handle(req: Req, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://identity.invalid');
    if (url.pathname === '/health') return this.health(res);
    if (AdminApi.isAdminPath(url.pathname, this.config.basePath)) {
      const adminPath = this.adminApi.relativePath(url.pathname);
      if (adminPath === undefined) return sendJson(res, 404, { error: 'Realm not found.' });
      return this.adminApi.handle(req, res, adminPath, url.searchParams);
    }
    const path = this.realmRelativePath(url.pathname);
    if (path === undefined) return sendJson(res, 404, { error: 'Realm does not exist' });

    const built = await this.current();
    req.url = `${path}${url.search}`;
    // oidc-provider builds its URLs from the mount path it finds here (and the host, X-Forwarded-* trusted).
    req.baseUrl = this.realmPath;

    if (path === '/' && req.method === 'GET') return this.realmInfo(res, built);
    if (path === '/protocol/openid-connect/3p-cookies/step1.html' && req.method === 'GET') {
      res.writeHead(200, thirdPartyCookiesPage.headers);
      return void res.end(thirdPartyCookiesPage.html);
    }
    const login = /^\/login-actions\/([A-Za-z0-9_-]+)(\/authenticate)?$/.exec(path);
    if (login) {
      if (req.method === 'GET' && !login[2]) return this.showLogin(req, res, built, login[1]);
      if (req.method === 'POST' && login[2]) return this.submitLogin(req, res, built, login[1]);
      return sendJson(res, 405, { error: 'method not allowed' });
    }
    if (path === KEYCLOAK_ROUTES.userinfo && req.method !== 'OPTIONS' && isJwt(this.bearer(req))) {
      return this.jwtUserinfo(req, res, built, this.bearer(req)!);
    }
    const tokenParam = TOKEN_PARAMETERS[path];
    if (tokenParam && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const token = form.get(tokenParam) ?? undefined;
      if (RefreshTokenWrapper.looksWrapped(token)) {
        // Our JWT-shaped refresh token: oidc-provider gets the opaque one inside (or a value it will not find).
        form.set(tokenParam, (await this.refreshTokens.unwrap(token)) ?? 'invalid-refresh-token');
      } else if (path === KEYCLOAK_ROUTES.introspection && isJwt(token)) {
        return this.jwtIntrospection(req, res, built, form, token);
      }
      req.body = form.toString(); // already read: oidc-provider parses it from here
    }
    built.callback(req, res);
  }

  private async health(res: ServerResponse): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
      sendJson(res, 200, { status: 'ok', info: { database: { status: 'up' } } });
    } catch (error) {
      sendJson(res, 503, { status: 'error', error: { database: { status: 'down', message: (error as Error).message } } });
    }
  }

  /** Keycloak's realm document (`GET /realms/<realm>`), with the newest public key as base64 SPKI. */
  private realmInfo(res: ServerResponse, built: Built): void {
    sendJson(res, 200, {
      realm: this.realm.name,
      public_key: built.newestPublicKey,
      'token-service': `${this.issuer}/protocol/openid-connect`,
      'account-service': `${this.issuer}/account`,
      'tokens-not-before': 0,
    });
  }

  private csrfFor(uid: string): string {
    return createHmac('sha256', this.cookieKey).update(`login-csrf:${uid}`).digest('base64url');
  }

  private async interaction(req: Req, res: ServerResponse, built: Built, uid: string) {
    try {
      const details = await built.provider.interactionDetails(req, res);
      return details.uid === uid ? details : undefined;
    } catch {
      return undefined;
    }
  }

  private async showLogin(req: Req, res: ServerResponse, built: Built, uid: string, error?: string, username?: string, status = 200, headers: Record<string, string> = {}): Promise<void> {
    const details = await this.interaction(req, res, built, uid);
    if (!details) return sendHtml(res, 400, messagePage('Sign-in expired', 'Your sign-in took too long or was already used. Go back to the application and start again.'));
    if (details.prompt.name !== 'login') {
      // Consent is never asked (loadExistingGrant grants); anything else finishes with no result.
      return built.provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }
    const clientId = String(details.params.client_id ?? '');
    const client = await this.clients.find(clientId);
    sendHtml(res, status, loginPage({
      realmName: this.realm.name,
      clientName: client?.name ?? clientId,
      action: `${this.realmPath}/login-actions/${uid}/authenticate`,
      csrf: this.csrfFor(uid),
      username,
      error,
    }), headers);
  }

  private async submitLogin(req: Req, res: ServerResponse, built: Built, uid: string): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const csrf = form.get('csrf') ?? '';
    if (!safeEqual(csrf, this.csrfFor(uid))) {
      return sendHtml(res, 403, messagePage('Sign-in refused', 'The form was not sent by this sign-in page (CSRF token missing or wrong).'));
    }
    const details = await this.interaction(req, res, built, uid);
    if (!details || details.prompt.name !== 'login') {
      return sendHtml(res, 400, messagePage('Sign-in expired', 'Your sign-in took too long or was already used. Go back to the application and start again.'));
    }
    const username = form.get('username') ?? '';
    const result = await this.users.authenticate(username, form.get('password') ?? '');
    if (!result.ok) {
      const locked = result.reason === 'locked' ? result.retryAfterSeconds : result.lock.locked ? result.lock.retryAfterSeconds : undefined;
      if (locked !== undefined) {
        return this.showLogin(req, res, built, uid,
          `Too many failed sign-ins: this account is temporarily locked. Try again in ${locked} seconds.`, username, 429, { 'retry-after': String(locked) });
      }
      return this.showLogin(req, res, built, uid, 'Invalid username or password.', username, 401);
    }
    await built.provider.interactionFinished(req, res, { login: { accountId: result.user.id } }, { mergeWithLastSubmission: false });
  }

  private bearer(req: Req): string | undefined {
    return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  }

  /** Verifies one of our JWT access tokens: signature (any published key), issuer, expiry, typ, and a live session. */
  private async verifyAccessToken(built: Built, token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, built.jwks, { issuer: this.issuer, algorithms: ['RS256'] });
      if (payload.typ !== 'Bearer') return undefined;
      if (typeof payload.sid === 'string' && !(await built.provider.Session.findByUid(payload.sid))) return undefined;
      return payload;
    } catch {
      return undefined;
    }
  }

  /** Keycloak's userinfo answers for its own (JWT) access tokens; oidc-provider's only takes opaque ones. */
  private async jwtUserinfo(req: Req, res: ServerResponse, built: Built, token: string): Promise<void> {
    const payload = await this.verifyAccessToken(built, token);
    const cors = await this.corsHeaders(req, payload?.azp);
    if (!payload?.sub) {
      return sendJson(res, 401, { error: 'invalid_token', error_description: 'Token verification failed' },
        { 'www-authenticate': 'Bearer error="invalid_token"', ...cors });
    }
    const user = this.users.findById(payload.sub);
    if (user) return sendJson(res, 200, userClaims(user), cors);
    return sendJson(res, 200, { sub: payload.sub, preferred_username: payload.preferred_username ?? serviceAccountUsername(payload.sub) }, cors);
  }

  /** CORS for a browser client calling from one of its web origins (Keycloak's webOrigins "+": its redirect URIs' origins). */
  private async corsHeaders(req: Req, clientId: unknown): Promise<Record<string, string>> {
    const origin = req.headers.origin;
    if (!origin || typeof clientId !== 'string') return {};
    const client = await this.clients.find(clientId);
    const allowed = client?.redirectUris.some((uri) => {
      try {
        return new URL(uri.replace(/\*$/, '')).origin === origin;
      } catch {
        return false;
      }
    });
    return allowed ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'Origin' } : {};
  }

  /** RFC 7662 for JWT access tokens; the caller is a confidential client (secret by Basic or in the body). */
  private async jwtIntrospection(req: Req, res: ServerResponse, built: Built, form: URLSearchParams, token: string): Promise<void> {
    let clientId = form.get('client_id') ?? undefined;
    let secret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
    const client = clientId ? await this.clients.find(clientId) : undefined;
    if (!client?.enabled || client.publicClient || !client.secret || !secret || !safeEqual(secret, client.secret)) {
      return sendJson(res, 401, { error: 'invalid_client', error_description: 'Authentication failed.' });
    }
    const payload = await this.verifyAccessToken(built, token);
    if (!payload) return sendJson(res, 200, { active: false });
    const azp = typeof payload.azp === 'string' ? payload.azp : undefined;
    if (azp && !(await this.clients.find(azp))?.enabled) return sendJson(res, 200, { active: false });
    sendJson(res, 200, { ...payload, active: true, client_id: azp, username: payload.preferred_username, token_type: 'Bearer' });
  }
}

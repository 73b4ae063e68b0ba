import Provider, { errors } from 'oidc-provider';
import type {
  AccessToken, ClientCredentials, Configuration, KoaContextWithOIDC, ResourceServer, TokenEndpointGrantContext,
} from 'oidc-provider';
import type { Pool } from 'pg';
import { PostgresAdapter, ClientAdapter } from './adapter';
import { ClientStore, StoredClient } from './clients';
import { toAccount, UserDirectory, userClaims } from './accounts';
import { AUTO_LOGOUT_HEADERS, autoLogoutPage, logoutPage, messagePage, PAGE_HEADERS } from './pages';
import { mappedAudiences, serviceAccountUsername } from './realm';
import type { SigningJwk } from './keys';
import type { RefreshTokenWrapper } from './refresh-wrapper';

/**
 * The one resource server: the fleet's services (Keycloak's bearer-only client `fleet-api`). Every
 * token is issued for it, but its `aud` is the realm's, as Keycloak writes it (see {@link keycloakAudience}).
 */
export const FLEET_API_RESOURCE = 'urn:fleet:api';
export const FLEET_API_AUDIENCE = 'fleet-api';
/**
 * Keycloak's default realm roles include the `account` client's, so its tokens name `account`
 * when nothing else: the audience of a client without mappers (oidc-provider signs none without).
 */
export const DEFAULT_AUDIENCE = 'account';
/** Scopes Keycloak grants by default (its default client scopes), all granted without consent. */
export const SCOPES = ['openid', 'profile', 'email', 'roles'];

/** Keycloak's OIDC paths under the realm (`/realms/<realm>`). */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  jwks: '/protocol/openid-connect/certs',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  introspection: '/protocol/openid-connect/token/introspect',
  revocation: '/protocol/openid-connect/revoke',
  pushed_authorization_request: '/protocol/openid-connect/ext/par/request',
} as const;

export interface ProviderDeps {
  issuer: string;
  /** Public path of the realm (`/keycloak/realms/fleet`): where interactions live. */
  realmPath: string;
  pool: Pool;
  clients: ClientStore;
  users: UserDirectory;
  keys: SigningJwk[];
  cookieKeys: string[];
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  secureCookies: boolean;
  refreshTokens: RefreshTokenWrapper;
}

/** Keycloak's redirect-URI rule: exact match, or a registered URI ending in `*` matching as a prefix on the same origin. */
export function redirectUriMatches(registered: readonly string[], value: string): boolean {
  if (registered.includes(value)) return true;
  let target: URL;
  try {
    target = new URL(value);
  } catch {
    return false;
  }
  if (target.hash) return false;
  return registered.some((pattern) => {
    if (!pattern.endsWith('*')) return false;
    const prefix = pattern.slice(0, -1);
    try {
      return new URL(prefix).origin === target.origin && value.startsWith(prefix);
    } catch {
      return false;
    }
  });
}

function fleetApiServer(ttl: number): ResourceServer {
  return {
    scope: SCOPES.join(' '),
    audience: FLEET_API_AUDIENCE,
    accessTokenFormat: 'jwt',
    accessTokenTTL: ttl,
    jwt: { sign: { alg: 'RS256' } },
  };
}

/**
 * A token's `aud` as Keycloak makes it: what the client's audience mappers add (`fleet-api` for the
 * fleet's clients), then, by its "audience resolve" mapper, the clients whose roles the token
 * carries (`realm-management` for the provisioner). One audience is a string, several an array.
 */
export function keycloakAudience(client: Pick<StoredClient, 'protocolMappers' | 'serviceAccountClientRoles'> | undefined,
  serviceAccount: boolean): string | string[] {
  const resolved = serviceAccount ? Object.keys(resourceAccess(client?.serviceAccountClientRoles).resource_access ?? {}) : [];
  const audiences = [...new Set([...mappedAudiences(client?.protocolMappers ?? []), ...resolved])];
  if (audiences.length === 0) return DEFAULT_AUDIENCE;
  return audiences.length === 1 ? audiences[0] : audiences;
}

function htmlBody(ctx: KoaContextWithOIDC, status: number, html: string, headers: Record<string, string> = PAGE_HEADERS): void {
  ctx.status = status;
  ctx.set(headers);
  ctx.body = html;
}

/** Scopes asked for, limited to the supported ones; `openid` always. */
function grantedScopes(requested: Iterable<string>): string {
  const wanted = new Set(['openid', ...requested]);
  return SCOPES.filter((s) => wanted.has(s)).join(' ');
}

/** Keycloak's `resource_access` claim: client roles by client (only clients with roles). */
function resourceAccess(clientRoles: Record<string, string[]> | undefined): { resource_access?: Record<string, { roles: string[] }> } {
  const entries = Object.entries(clientRoles ?? {}).filter(([, roles]) => roles.length > 0);
  return entries.length ? { resource_access: Object.fromEntries(entries.map(([client, roles]) => [client, { roles }])) } : {};
}

/** Builds an oidc-provider instance configured like the Keycloak realm (see the README draft in gateway/identity). */
export function buildProvider(deps: ProviderDeps): Provider {
  const { clients, users } = deps;

  const extraTokenClaims = async (_ctx: KoaContextWithOIDC, token: AccessToken | ClientCredentials): Promise<Record<string, unknown>> => {
    const clientId = token.clientId!;
    if (token.kind === 'ClientCredentials') {
      const client = await clients.find(clientId);
      return {
        typ: 'Bearer',
        azp: clientId,
        preferred_username: serviceAccountUsername(clientId),
        clientId,
        realm_access: { roles: client?.serviceAccountRoles ?? [] },
        ...resourceAccess(client?.serviceAccountClientRoles),
      };
    }
    const at = token as AccessToken;
    const user = at.accountId ? users.findById(at.accountId) : undefined;
    return {
      typ: 'Bearer',
      azp: clientId,
      ...(user ? userClaims(user) : {}),
      realm_access: { roles: user?.roles ?? [] },
      ...(at.sessionUid ? { sid: at.sessionUid } : {}),
    };
  };

  const configuration: Configuration = {
    adapter: (name: string) => (name === 'Client' ? new ClientAdapter(clients, new URL(deps.issuer).origin) : new PostgresAdapter(deps.pool, name)),
    jwks: { keys: deps.keys },
    cookies: {
      keys: deps.cookieKeys,
      // The session cookie is the realm's only (Keycloak scopes its cookies to /realms/<realm>/ too).
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: deps.realmPath },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure: deps.secureCookies },
      names: { session: 'KEYCLOAK_SESSION', interaction: 'AUTH_SESSION_ID', resume: 'AUTH_SESSION_RESUME' },
    },
    routes: KEYCLOAK_ROUTES,
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name', 'given_name', 'family_name'],
      email: ['email', 'email_verified'],
    },
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    rotateRefreshToken: true,
    allowOmittingSingleRegisteredRedirectUri: false,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
      AccessToken: deps.accessTokenSeconds,
      ClientCredentials: deps.accessTokenSeconds,
      IdToken: deps.accessTokenSeconds,
      AuthorizationCode: 60,
      RefreshToken: deps.refreshTokenSeconds,
      Interaction: 1800,
      Session: 10 * 3600,
      Grant: 10 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        // oidc-provider has already verified an id_token_hint when it calls this.
        logoutSource: (ctx, form) => {
          if (ctx.oidc.params?.id_token_hint) htmlBody(ctx, 200, autoLogoutPage(form), AUTO_LOGOUT_HEADERS);
          else htmlBody(ctx, 200, logoutPage(form));
        },
        postLogoutSuccessSource: (ctx) => htmlBody(ctx, 200, messagePage('Signed out', 'You are signed out of the fleet.')),
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => FLEET_API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== FLEET_API_RESOURCE) throw new errors.InvalidTarget();
          return fleetApiServer(deps.accessTokenSeconds);
        },
      },
    },
    formats: {
      customizers: {
        // Keycloak's access tokens say `typ: JWT` in the header (RFC 9068 would say at+jwt), and
        // name the audiences the client's mappers give (a client without one gets no `fleet-api`).
        jwt: async (_ctx, token, jwt) => {
          jwt.header = { ...jwt.header, typ: 'JWT' };
          const client = await clients.find(token.clientId!);
          jwt.payload.aud = keycloakAudience(client, token.kind === 'ClientCredentials');
        },
      },
    },
    extraTokenClaims,
    findAccount: (_ctx, sub) => {
      const user = users.findById(sub);
      return user?.enabled ? toAccount(user) : undefined;
    },
    // Keycloak's clients here have consent off: whatever supported scope is asked for is granted.
    loadExistingGrant: async (ctx) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (!grant || grant.accountId !== session.accountId || grant.clientId !== client.clientId) {
        grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      }
      const scope = grantedScopes(ctx.oidc.requestParamScopes);
      grant.addOIDCScope(scope);
      grant.addResourceScope(FLEET_API_RESOURCE, scope);
      await grant.save();
      return grant;
    },
    interactions: {
      url: (_ctx, interaction) => `${deps.realmPath}/login-actions/${interaction.uid}`,
    },
    clientBasedCORS: (_ctx, origin, client) => {
      // Keycloak's webOrigins "+": the origins of the client's redirect URIs.
      return client.redirectUris?.some((uri) => {
        try {
          return new URL(uri.replace(/\*$/, '')).origin === origin;
        } catch {
          return false;
        }
      }) ?? false;
    },
    renderError: (ctx, out) => {
      htmlBody(ctx, ctx.status >= 400 ? ctx.status : 400, messagePage('Sign-in error', `${out.error}: ${out.error_description ?? ''}`));
    },
  };

  const provider = new Provider(deps.issuer, configuration);
  provider.proxy = true;

  // Keycloak's wildcard redirect URIs (`http://host/*`), else exact matching.
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value: string): boolean {
    return redirectUriMatches(this.redirectUris ?? [], value);
  };
  provider.Client.prototype.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(value: string): boolean {
    return redirectUriMatches(this.postLogoutRedirectUris ?? [], value);
  };

  registerPasswordGrant(provider, deps);

  // Token responses as Keycloak's: the refresh token JWT-shaped (see RefreshTokenWrapper), refresh_expires_in.
  provider.use(async (ctx, next) => {
    await next();
    // keycloak-js sends its token and userinfo requests with credentials: 'include'. Keycloak allows
    // that for the client's web origins; oidc-provider sets the origin (clientBasedCORS), not this.
    const allowedOrigin = ctx.response.get('Access-Control-Allow-Origin');
    if (allowedOrigin && allowedOrigin !== '*') ctx.set('Access-Control-Allow-Credentials', 'true');
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body.refresh_token !== 'string') return;
    const rt = ctx.oidc.entities.RefreshToken;
    const expiresIn = Math.max(1, rt?.exp ? rt.exp - Math.floor(Date.now() / 1000) : deps.refreshTokenSeconds);
    body.refresh_token = await deps.refreshTokens.wrap(body.refresh_token, {
      sub: rt?.accountId,
      azp: ctx.oidc.client!.clientId,
      sid: rt?.sessionUid,
      scope: typeof body.scope === 'string' ? body.scope : undefined,
      expiresIn,
    });
    body.refresh_expires_in = expiresIn;
  });
  return provider;
}

interface PasswordParams { username?: string; password?: string }

/**
 * Keycloak's "direct access grants" (resource owner password credentials), only for clients
 * that enable them (grant_types includes `password`, checked by oidc-provider before this runs).
 */
function registerPasswordGrant(provider: Provider, deps: ProviderDeps): void {
  provider.registerGrantType('password', async (ctx: TokenEndpointGrantContext<PasswordParams>) => {
    const { client, params } = ctx.oidc;
    if (!params.username || !params.password) throw new errors.InvalidRequest('username and password are required');
    const result = await deps.users.authenticate(params.username, params.password);
    if (!result.ok) {
      // Keycloak's wording; InvalidGrant would hide the description.
      throw new errors.CustomOIDCProviderError('invalid_grant', result.reason === 'locked' || result.lock.locked
        ? 'Account temporarily locked' : 'Invalid user credentials');
    }
    const accountId = result.user.id;
    const scope = grantedScopes(params.scope ? params.scope.split(' ') : SCOPES);

    const grant = new provider.Grant({ clientId: client.clientId, accountId });
    grant.addOIDCScope(scope);
    grant.addResourceScope(FLEET_API_RESOURCE, scope);
    const grantId = await grant.save();

    const at = new provider.AccessToken({ accountId, client, grantId, gty: 'password', scope });
    at.resourceServer = new provider.ResourceServer(FLEET_API_RESOURCE, fleetApiServer(deps.accessTokenSeconds));
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();

    let refreshToken: string | undefined;
    if (client.grantTypeAllowed('refresh_token')) {
      const rt = new provider.RefreshToken({
        accountId, client, grantId, gty: 'password', scope, resource: FLEET_API_RESOURCE, rotations: 0,
        authTime: Math.floor(Date.now() / 1000),
      });
      ctx.oidc.entity('RefreshToken', rt);
      refreshToken = await rt.save();
    }
    ctx.body = {
      access_token: accessToken,
      expires_in: at.expiration,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      token_type: 'Bearer',
      scope,
    };
  }, ['username', 'password', 'scope']);
}

import Keycloak from 'keycloak-js';

/** Realm roles that may use the console; robot and drone identities are machines, not operators. */
export const CONSOLE_ROLES = ['operator', 'admin'] as const;

/** Refresh this long before the access token expires, so no request ever carries a stale one. */
const REFRESH_MARGIN_SECONDS = 60;

export interface SessionUser {
  subject: string;
  name: string;
  username: string;
  roles: string[];
}

/**
 * The operator's sign-in: keycloak-js against the gateway's `/keycloak` (the local provider under
 * `npm start`, Keycloak in compose), authorization code with PKCE. One instance for the app; the
 * API clients ask it for a fresh token before every request.
 */
export const keycloak = new Keycloak({ url: `${window.location.origin}/keycloak`, realm: 'fleet', clientId: 'fleet-console' });

let refreshTimer: number | undefined;

export async function signIn(): Promise<SessionUser> {
  await keycloak.init({ onLoad: 'login-required', pkceMethod: 'S256', checkLoginIframe: false, responseMode: 'fragment' });
  keycloak.onTokenExpired = () => void freshToken().catch(() => undefined);
  // A timer as well as onTokenExpired: a tab left open refreshes ahead of expiry, not after.
  window.clearInterval(refreshTimer);
  refreshTimer = window.setInterval(() => void freshToken().catch(() => undefined), 20_000);
  return currentUser();
}

export function currentUser(): SessionUser {
  const claims = (keycloak.tokenParsed ?? {}) as Record<string, unknown> & { realm_access?: { roles?: string[] } };
  return {
    subject: String(claims.sub ?? ''),
    name: String(claims.name ?? claims.preferred_username ?? claims.sub ?? ''),
    username: String(claims.preferred_username ?? claims.azp ?? ''),
    roles: claims.realm_access?.roles ?? [],
  };
}

export const mayUseConsole = (user: SessionUser): boolean => user.roles.some((role) => (CONSOLE_ROLES as readonly string[]).includes(role));
export const isAdmin = (user: SessionUser): boolean => user.roles.includes('admin');

/** A token valid for at least the refresh margin; signs in again when the session is gone. */
export async function freshToken(): Promise<string> {
  try {
    await keycloak.updateToken(REFRESH_MARGIN_SECONDS);
  } catch {
    await keycloak.login();
    throw new Error('The session ended; signing in again');
  }
  if (!keycloak.token) throw new Error('Not signed in');
  return keycloak.token;
}

export function signOut(): Promise<void> {
  window.clearInterval(refreshTimer);
  return keycloak.logout({ redirectUri: `${window.location.origin}/` });
}

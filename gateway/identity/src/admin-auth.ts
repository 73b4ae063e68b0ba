import type { JWTPayload } from 'jose';
import type { ClientStore } from './clients';

/** Keycloak's per-realm admin client, whose roles grant the Admin REST API. */
export const REALM_MANAGEMENT = 'realm-management';

/** The `realm-management` roles this provider checks (Keycloak's AdminRoles). */
export type AdminRole =
  | 'realm-admin' | 'manage-clients' | 'view-clients' | 'query-clients' | 'manage-users' | 'view-users' | 'query-users'
  | 'manage-realm' | 'view-realm';

/** What an endpoint asks of its caller: one of these roles (`realm-admin` always does). */
export const ADMIN_PERMISSIONS = {
  viewClients: ['manage-clients', 'view-clients'],
  listClients: ['manage-clients', 'view-clients', 'query-clients'],
  manageClients: ['manage-clients'],
  viewUsers: ['manage-users', 'view-users'],
  listUsers: ['manage-users', 'view-users', 'query-users'],
  manageUsers: ['manage-users'],
  /** Keycloak: `GET /roles/{name}` of a realm role needs view-realm; listing needs any admin role. */
  viewRealm: ['manage-realm', 'view-realm'],
  anyAdminRole: ['manage-clients', 'view-clients', 'query-clients', 'manage-users', 'view-users', 'query-users', 'manage-realm', 'view-realm'],
} satisfies Record<string, AdminRole[]>;

export interface AdminCaller {
  clientId: string;
  roles: ReadonlySet<string>;
}

export type AdminAuthentication = { ok: true; caller: AdminCaller } | { ok: false; status: 401 };

const bearerOf = (authorization: string | undefined): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];

/**
 * Authenticates a call to the Admin REST API: one of our access tokens (verified by `verify`)
 * of a client's service account, whose client is enabled. Like Keycloak, the caller's
 * `realm-management` roles are those mapped now, not those the token was issued with.
 */
export async function authenticateAdmin(
  authorization: string | undefined,
  verify: (token: string) => Promise<JWTPayload | undefined>,
  clients: ClientStore,
): Promise<AdminAuthentication> {
  const token = bearerOf(authorization);
  const payload = token ? await verify(token) : undefined;
  if (!payload || typeof payload.azp !== 'string') return { ok: false, status: 401 };
  const client = await clients.find(payload.azp);
  if (!client?.enabled) return { ok: false, status: 401 };
  // A service-account token (client credentials) names the client as its subject; a user's token has no admin roles here.
  const isServiceAccount = payload.sub === client.clientId && client.serviceAccountsEnabled;
  const roles = isServiceAccount ? client.serviceAccountClientRoles[REALM_MANAGEMENT] ?? [] : [];
  return { ok: true, caller: { clientId: client.clientId, roles: new Set(roles) } };
}

/** True when the caller has one of `anyOf` (or realm-admin). */
export function permits(caller: AdminCaller, anyOf: readonly AdminRole[]): boolean {
  return caller.roles.has('realm-admin') || anyOf.some((role) => caller.roles.has(role));
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The parts of a Keycloak realm export (`kc.sh export`) this provider understands. */
interface RealmExportCredential { type?: string; value?: string; temporary?: boolean }
interface RealmExportUser {
  id?: string;
  username: string;
  enabled?: boolean;
  email?: string;
  emailVerified?: boolean;
  firstName?: string;
  lastName?: string;
  credentials?: RealmExportCredential[];
  realmRoles?: string[];
  /** Client roles by client, e.g. `{ "realm-management": ["manage-clients"] }`. */
  clientRoles?: Record<string, string[]>;
  serviceAccountClientId?: string;
}
interface RealmExportClient {
  clientId: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  publicClient?: boolean;
  bearerOnly?: boolean;
  secret?: string;
  standardFlowEnabled?: boolean;
  implicitFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  attributes?: Record<string, string>;
  protocolMappers?: ProtocolMapper[];
}
interface RealmExport {
  realm: string;
  enabled?: boolean;
  accessTokenLifespan?: number;
  bruteForceProtected?: boolean;
  failureFactor?: number;
  waitIncrementSeconds?: number;
  roles?: { realm?: { name: string; description?: string; composite?: boolean; composites?: { realm?: string[] } }[] };
  clients?: RealmExportClient[];
  users?: RealmExportUser[];
}

export interface RealmUser {
  /** Stable subject: the export's id, else a name-based UUID (Keycloak's subjects are UUIDs). */
  id: string;
  username: string;
  enabled: boolean;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
  roles: string[];
  /** SHA-256 of the password; undefined when the user has no password credential. */
  passwordDigest?: Buffer;
}

/** A client's protocol mapper, as Keycloak represents it (`config` values are strings). */
export interface ProtocolMapper {
  id?: string;
  name: string;
  protocol?: string;
  protocolMapper: string;
  consentRequired?: boolean;
  config?: Record<string, string>;
}

/** Keycloak's audience mapper: adds `included.client.audience` (or `included.custom.audience`) to `aud`. */
export const AUDIENCE_MAPPER = 'oidc-audience-mapper';

/**
 * The audiences a client's mappers put in its access tokens, as Keycloak's audience mapper does:
 * unless `access.token.claim` is `"false"` (Keycloak reads a missing one as true).
 */
export function mappedAudiences(mappers: readonly ProtocolMapper[]): string[] {
  const audiences = mappers
    .filter((m) => m.protocolMapper === AUDIENCE_MAPPER && m.config?.['access.token.claim'] !== 'false')
    .map((m) => m.config?.['included.client.audience'] || m.config?.['included.custom.audience'])
    .filter((aud): aud is string => !!aud);
  return [...new Set(audiences)];
}

/** A client as this provider stores it: Keycloak's switches, kept next to the derived OIDC metadata. */
export interface RealmClient {
  clientId: string;
  name?: string;
  description?: string;
  enabled: boolean;
  publicClient: boolean;
  secret?: string;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  serviceAccountsEnabled: boolean;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Realm roles of the client's service account (`service-account-<clientId>`). */
  serviceAccountRoles: string[];
  /**
   * Client roles of the service account, by client: `realm-management` roles (`manage-clients`, ...)
   * let the client call the Admin REST API, as in Keycloak.
   */
  serviceAccountClientRoles?: Record<string, string[]>;
  /** Keycloak's protocol mappers of the client; only audience mappers change tokens here. */
  protocolMappers?: ProtocolMapper[];
}

export interface Realm {
  name: string;
  accessTokenLifespan: number;
  roles: string[];
  /** Composite realm roles and the roles each includes (Keycloak: `admin` includes `operator`). */
  roleComposites?: Record<string, string[]>;
  /** Descriptions of the realm roles that have one. */
  roleDescriptions?: Record<string, string>;
  users: RealmUser[];
  clients: RealmClient[];
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Constant-time password check against a user's stored digest. */
export function passwordMatches(user: RealmUser, password: string): boolean {
  return !!user.passwordDigest && timingSafeEqual(user.passwordDigest, digest(password));
}

/** A name-based (v5-style) UUID: the same realm and username always give the same subject. */
export function stableUserId(realm: string, username: string): string {
  const bytes = createHash('sha1').update(`keycloak-compatible:${realm}:${username}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Keycloak's service-account username for a client. */
export const serviceAccountUsername = (clientId: string): string => `service-account-${clientId}`;

/**
 * A user's effective realm roles, as Keycloak puts them in `realm_access.roles`: the mapped roles
 * and, transitively, every role a composite one includes.
 */
export function effectiveRoles(roles: readonly string[], composites: Record<string, string[]>): string[] {
  const effective = new Set<string>();
  const add = (role: string): void => {
    if (effective.has(role)) return;
    effective.add(role);
    for (const included of composites[role] ?? []) add(included);
  };
  roles.forEach(add);
  return [...effective];
}

export function parseRealm(text: string): Realm {
  const raw = JSON.parse(text) as RealmExport;
  if (!raw.realm) throw new Error('realm export has no "realm" name');
  const roleComposites = Object.fromEntries(
    (raw.roles?.realm ?? []).filter((role) => role.composite && role.composites?.realm?.length).map((role) => [role.name, role.composites!.realm!]),
  );
  const serviceAccounts = new Map<string, { realmRoles: string[]; clientRoles: Record<string, string[]> }>();
  const users: RealmUser[] = [];
  for (const user of raw.users ?? []) {
    if (user.serviceAccountClientId) {
      serviceAccounts.set(user.serviceAccountClientId, { realmRoles: effectiveRoles(user.realmRoles ?? [], roleComposites), clientRoles: user.clientRoles ?? {} });
      continue;
    }
    const password = user.credentials?.find((c) => (c.type ?? 'password') === 'password' && typeof c.value === 'string')?.value;
    users.push({
      id: user.id ?? stableUserId(raw.realm, user.username.toLowerCase()),
      username: user.username.toLowerCase(),
      enabled: user.enabled !== false,
      email: user.email,
      emailVerified: user.emailVerified === true,
      firstName: user.firstName,
      lastName: user.lastName,
      roles: effectiveRoles(user.realmRoles ?? [], roleComposites),
      passwordDigest: password === undefined ? undefined : digest(password),
    });
  }
  const clients: RealmClient[] = [];
  for (const client of raw.clients ?? []) {
    // Bearer-only clients (fleet-api) never get tokens: they only verify them.
    if (client.bearerOnly) continue;
    const redirectUris = client.redirectUris ?? [];
    const postLogout = client.attributes?.['post.logout.redirect.uris'];
    clients.push({
      clientId: client.clientId,
      name: client.name,
      description: client.description,
      enabled: client.enabled !== false,
      publicClient: client.publicClient === true,
      secret: client.secret,
      standardFlowEnabled: client.standardFlowEnabled !== false,
      directAccessGrantsEnabled: client.directAccessGrantsEnabled === true,
      serviceAccountsEnabled: client.serviceAccountsEnabled === true,
      redirectUris,
      postLogoutRedirectUris: postLogout === undefined || postLogout === '+' ? redirectUris : postLogout.split('##').filter(Boolean),
      serviceAccountRoles: serviceAccounts.get(client.clientId)?.realmRoles ?? [],
      serviceAccountClientRoles: serviceAccounts.get(client.clientId)?.clientRoles ?? {},
      protocolMappers: client.protocolMappers ?? [],
    });
  }
  return {
    name: raw.realm,
    accessTokenLifespan: raw.accessTokenLifespan ?? 300,
    roles: (raw.roles?.realm ?? []).map((r) => r.name),
    roleComposites,
    roleDescriptions: Object.fromEntries((raw.roles?.realm ?? []).filter((r) => r.description).map((r) => [r.name, r.description!])),
    users,
    clients,
  };
}

export function loadRealm(file: string): Realm {
  return parseRealm(readFileSync(file, 'utf8'));
}

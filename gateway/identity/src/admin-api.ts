import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';
import { ADMIN_PERMISSIONS, AdminCaller, AdminRole, authenticateAdmin, permits } from './admin-auth';
import { ClientExistsError, ClientPatch, ClientStore, MapperExistsError, StoredClient } from './clients';
import { readBody, sendEmpty, sendJson } from './http';
import { ProtocolMapper, Realm, RealmUser, serviceAccountUsername, stableUserId } from './realm';
import { StoredUser, UserExistsError, UserStore } from './user-store';

/** An error answered as Keycloak's admin API answers it. */
class AdminError extends Error {
  constructor(readonly status: number, readonly body: Record<string, string>) {
    super(Object.values(body)[0]);
  }
}
const notFound = (what: string) => new AdminError(404, { error: `Could not find ${what}` });
const badRequest = (message: string) => new AdminError(400, { errorMessage: message });
const conflict = (message: string) => new AdminError(409, { errorMessage: message });

/** Keycloak's clientId rule here is the client table's. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

type Json = Record<string, unknown>;

const str = (value: unknown, field: string): string | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badRequest(`${field} must be a string`);
  return value;
};
const bool = (value: unknown, field: string): boolean | undefined => {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`${field} must be a boolean`);
  return value;
};
const strings = (value: unknown, field: string): string[] | undefined => {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badRequest(`${field} must be an array of strings`);
  return value as string[];
};

/** A protocol mapper representation: name and mapper type required, config values strings (Keycloak's). */
function protocolMapper(value: unknown): ProtocolMapper {
  const rep = (value ?? {}) as Json;
  const name = str(rep.name, 'name');
  const type = str(rep.protocolMapper, 'protocolMapper');
  if (!name || !type) throw badRequest('A protocol mapper needs a name and a protocolMapper');
  const protocol = str(rep.protocol, 'protocol') ?? 'openid-connect';
  if (protocol !== 'openid-connect') throw badRequest('Only openid-connect protocol mappers are supported here');
  const config = rep.config ?? {};
  if (typeof config !== 'object' || Array.isArray(config) || Object.values(config).some((v) => typeof v !== 'string')) {
    throw badRequest('config must be an object of strings');
  }
  return { name, protocol, protocolMapper: type, consentRequired: bool(rep.consentRequired, 'consentRequired') ?? false, config: config as Record<string, string> };
}

function protocolMappers(value: unknown): ProtocolMapper[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badRequest('protocolMappers must be an array');
  return value.map(protocolMapper);
}

/** A user as the admin API sees it: from the realm file, created at runtime, or a client's service account. */
type AnyUser =
  | { kind: 'realm'; user: RealmUser }
  | { kind: 'runtime'; user: StoredUser }
  | { kind: 'service-account'; client: StoredClient };

export interface AdminApiDeps {
  realm: Realm;
  clients: ClientStore;
  users: UserStore;
  /** Verifies one of the provider's access tokens (signature, issuer, expiry, typ). */
  verify: (token: string) => Promise<JWTPayload | undefined>;
  /** Public URL of the admin API of the realm, e.g. `http://host/keycloak/admin/realms/fleet` (for Location). */
  publicBase: string;
}

/**
 * The subset of Keycloak's Admin REST API (`/admin/realms/<realm>/...`) the services use to
 * provision robots and drones with `@keycloak/keycloak-admin-client`: clients (list, get, create,
 * update, delete, client secret, service-account user), users (create, find, realm role
 * mappings) and realm roles. Callers are service accounts with `realm-management` roles.
 */
export class AdminApi {
  private readonly prefixes: string[];

  constructor(private readonly deps: AdminApiDeps, basePath: string) {
    const path = `/admin/realms/${deps.realm.name}`;
    this.prefixes = [`${basePath}${path}`, path];
  }

  /** The path inside the realm's admin API, or undefined when `pathname` is not one of its. */
  relativePath(pathname: string): string | undefined {
    for (const prefix of this.prefixes) {
      if (pathname === prefix) return '/';
      if (pathname.startsWith(`${prefix}/`)) return pathname.slice(prefix.length);
    }
    return undefined;
  }

  /** True for any `/admin/...` path (another realm's answers 404 here). */
  static isAdminPath(pathname: string, basePath: string): boolean {
    return pathname.startsWith(`${basePath}/admin/`) || pathname.startsWith('/admin/');
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const auth = await authenticateAdmin(req.headers.authorization, this.deps.verify, this.deps.clients);
    if (!auth.ok) return sendJson(res, 401, { error: 'HTTP 401 Unauthorized' }, { 'www-authenticate': 'Bearer' });
    try {
      await this.route(req, res, auth.caller, path.replace(/\/+$/, '') || '/', query);
    } catch (error) {
      if (error instanceof AdminError) return sendJson(res, error.status, error.body);
      throw error;
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse, caller: AdminCaller, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const need = (roles: readonly AdminRole[]) => {
      if (!permits(caller, roles)) throw new AdminError(403, { error: 'HTTP 403 Forbidden' });
    };
    const segments = path.split('/').filter(Boolean).map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw badRequest('Malformed path');
      }
    });
    const [collection, id, sub, sub2] = segments;
    const route = `${method} ${[collection, id && ':id', sub, sub2].filter(Boolean).join('/')}`;

    switch (route) {
      case 'GET clients':
        need(ADMIN_PERMISSIONS.listClients);
        return sendJson(res, 200, await this.listClients(query));
      case 'POST clients': {
        need(ADMIN_PERMISSIONS.manageClients);
        const created = await this.createClient(await readJson(req));
        return sendEmpty(res, 201, { location: `${this.deps.publicBase}/clients/${created.id}` });
      }
      case 'GET clients/:id':
        need(ADMIN_PERMISSIONS.viewClients);
        return sendJson(res, 200, clientRepresentation(await this.client(id)));
      case 'PUT clients/:id':
        need(ADMIN_PERMISSIONS.manageClients);
        await this.updateClient(await this.client(id), await readJson(req));
        return sendEmpty(res, 204);
      case 'DELETE clients/:id':
        need(ADMIN_PERMISSIONS.manageClients);
        await this.deps.clients.delete((await this.client(id)).clientId);
        return sendEmpty(res, 204);
      case 'GET clients/:id/client-secret': {
        need(ADMIN_PERMISSIONS.viewClients);
        const client = await this.client(id);
        return sendJson(res, 200, { type: 'secret', ...(client.secret ? { value: client.secret } : {}) });
      }
      case 'POST clients/:id/client-secret': {
        need(ADMIN_PERMISSIONS.manageClients);
        const client = await this.client(id);
        const value = await this.deps.clients.regenerateSecret(client.clientId);
        if (!value) throw badRequest('Client is not confidential');
        return sendJson(res, 200, { type: 'secret', value });
      }
      case 'GET clients/:id/service-account-user': {
        need(ADMIN_PERMISSIONS.viewClients);
        const client = await this.client(id);
        if (!client.serviceAccountsEnabled) throw badRequest('Service account not enabled for the client');
        return sendJson(res, 200, userRepresentation({ kind: 'service-account', client }));
      }
      case 'GET clients/:id/protocol-mappers/models':
        need(ADMIN_PERMISSIONS.viewClients);
        return sendJson(res, 200, (await this.client(id)).protocolMappers);
      case 'POST clients/:id/protocol-mappers/models': {
        need(ADMIN_PERMISSIONS.manageClients);
        const client = await this.client(id);
        const added = await this.addProtocolMapper(client, protocolMapper(await readJson(req)));
        return sendEmpty(res, 201, { location: `${this.deps.publicBase}/clients/${client.id}/protocol-mappers/models/${added.id}` });
      }
      case 'GET users':
        need(ADMIN_PERMISSIONS.listUsers);
        return sendJson(res, 200, await this.findUsers(query));
      case 'POST users': {
        need(ADMIN_PERMISSIONS.manageUsers);
        const created = await this.createUser(await readJson(req));
        return sendEmpty(res, 201, { location: `${this.deps.publicBase}/users/${created.id}` });
      }
      case 'GET users/:id':
        need(ADMIN_PERMISSIONS.viewUsers);
        return sendJson(res, 200, userRepresentation(await this.user(id)));
      case 'GET users/:id/role-mappings/realm':
        need(ADMIN_PERMISSIONS.viewUsers);
        return sendJson(res, 200, realmRolesOf(await this.user(id)).map((name) => this.roleRepresentation(name)));
      case 'POST users/:id/role-mappings/realm':
      case 'DELETE users/:id/role-mappings/realm': {
        need(ADMIN_PERMISSIONS.manageUsers);
        const user = await this.user(id);
        const roles = this.rolesOf(await readJson(req));
        await this.mapRealmRoles(user, roles, method === 'POST');
        return sendEmpty(res, 204);
      }
      case 'GET roles':
        need(ADMIN_PERMISSIONS.anyAdminRole);
        return sendJson(res, 200, page(this.realmRoles(query.get('search') ?? undefined).map((name) => this.roleRepresentation(name)), query));
      case 'GET roles/:id': {
        need(ADMIN_PERMISSIONS.viewRealm);
        if (!this.deps.realm.roles.includes(id)) throw notFound('role');
        return sendJson(res, 200, this.roleRepresentation(id));
      }
      default:
        throw new AdminError(404, { error: 'HTTP 404 Not Found' });
    }
  }

  // Clients

  private async client(id: string): Promise<StoredClient> {
    const client = await this.deps.clients.findById(id);
    if (!client) throw notFound('client');
    return client;
  }

  private async listClients(query: URLSearchParams): Promise<Json[]> {
    const clientId = query.get('clientId');
    const search = query.get('search') === 'true';
    let clients = await this.deps.clients.list();
    if (clientId) {
      const needle = clientId.toLowerCase();
      clients = clients.filter((c) => (search ? c.clientId.toLowerCase().includes(needle) : c.clientId === clientId));
    }
    return page(clients.map(clientRepresentation), query);
  }

  private async createClient(body: Json): Promise<StoredClient> {
    const clientId = str(body.clientId, 'clientId');
    if (!clientId || !CLIENT_ID.test(clientId)) throw badRequest('Invalid clientId');
    if (bool(body.bearerOnly, 'bearerOnly')) throw badRequest('bearer-only clients are not supported here');
    const redirectUris = strings(body.redirectUris, 'redirectUris');
    try {
      return await this.deps.clients.create({
        clientId,
        name: str(body.name, 'name'),
        description: str(body.description, 'description'),
        enabled: bool(body.enabled, 'enabled'),
        publicClient: bool(body.publicClient, 'publicClient'),
        secret: str(body.secret, 'secret'),
        // Keycloak's defaults: standard flow on, the others off.
        standardFlowEnabled: bool(body.standardFlowEnabled, 'standardFlowEnabled') ?? true,
        directAccessGrantsEnabled: bool(body.directAccessGrantsEnabled, 'directAccessGrantsEnabled'),
        serviceAccountsEnabled: bool(body.serviceAccountsEnabled, 'serviceAccountsEnabled'),
        redirectUris,
        postLogoutRedirectUris: postLogoutUris(body, redirectUris),
        protocolMappers: protocolMappers(body.protocolMappers),
      });
    } catch (error) {
      if (error instanceof ClientExistsError) throw conflict(`Client ${clientId} already exists`);
      if (error instanceof MapperExistsError) throw conflict(error.message);
      throw error;
    }
  }

  private async addProtocolMapper(client: StoredClient, mapper: ProtocolMapper): Promise<{ id: string }> {
    try {
      const added = await this.deps.clients.addProtocolMapper(client.clientId, mapper);
      if (!added) throw notFound('client');
      return added;
    } catch (error) {
      if (error instanceof MapperExistsError) throw conflict(error.message);
      throw error;
    }
  }

  private async updateClient(client: StoredClient, body: Json): Promise<void> {
    const clientId = str(body.clientId, 'clientId');
    if (clientId !== undefined && clientId !== client.clientId) throw badRequest('Changing a clientId is not supported here');
    const publicClient = bool(body.publicClient, 'publicClient');
    if (publicClient !== undefined && publicClient !== client.publicClient) throw badRequest('Changing publicClient is not supported here');
    const redirectUris = strings(body.redirectUris, 'redirectUris');
    const patch: ClientPatch = {
      name: str(body.name, 'name'),
      description: str(body.description, 'description'),
      enabled: bool(body.enabled, 'enabled'),
      secret: client.publicClient ? undefined : str(body.secret, 'secret'),
      standardFlowEnabled: bool(body.standardFlowEnabled, 'standardFlowEnabled'),
      directAccessGrantsEnabled: bool(body.directAccessGrantsEnabled, 'directAccessGrantsEnabled'),
      serviceAccountsEnabled: bool(body.serviceAccountsEnabled, 'serviceAccountsEnabled'),
      redirectUris,
      postLogoutRedirectUris: body.attributes !== undefined || redirectUris ? postLogoutUris(body, redirectUris ?? client.redirectUris) : undefined,
    };
    if (!(await this.deps.clients.update(client.clientId, patch))) throw notFound('client');
  }

  // Users

  private async user(id: string): Promise<AnyUser> {
    const client = await this.deps.clients.findByServiceAccountUserId(id);
    if (client) return { kind: 'service-account', client };
    const stored = await this.deps.users.findById(id);
    if (stored) return { kind: 'runtime', user: stored };
    const fromRealm = this.deps.realm.users.find((u) => u.id === id);
    if (fromRealm) return { kind: 'realm', user: fromRealm };
    throw notFound('user');
  }

  /** Keycloak's user search: `username`/`email` (substring, or exact with `exact=true`), `search`; no service accounts. */
  private async findUsers(query: URLSearchParams): Promise<Json[]> {
    const all: AnyUser[] = [
      ...this.deps.realm.users.map((user): AnyUser => ({ kind: 'realm', user })),
      ...(await this.deps.users.list()).map((user): AnyUser => ({ kind: 'runtime', user })),
    ];
    const exact = query.get('exact') === 'true';
    const matches = (value: string | undefined, wanted: string | null) => {
      if (wanted === null) return true;
      const v = (value ?? '').toLowerCase();
      const w = wanted.toLowerCase();
      return exact ? v === w : v.includes(w);
    };
    const search = query.get('search')?.toLowerCase().replace(/\*/g, '');
    const found = all.map(userRepresentation).filter((u) =>
      matches(u.username as string, query.get('username')) && matches(u.email as string | undefined, query.get('email'))
      && matches(u.firstName as string | undefined, query.get('firstName')) && matches(u.lastName as string | undefined, query.get('lastName'))
      && (!search || [u.username, u.email, u.firstName, u.lastName].some((v) => typeof v === 'string' && v.toLowerCase().includes(search))));
    found.sort((a, b) => String(a.username).localeCompare(String(b.username)));
    return page(found, query);
  }

  private async createUser(body: Json): Promise<StoredUser> {
    const username = str(body.username, 'username')?.trim().toLowerCase();
    if (!username) throw badRequest('User name is missing');
    const email = str(body.email, 'email')?.trim().toLowerCase() || undefined;
    if (this.deps.realm.users.some((u) => u.username === username) || username.startsWith('service-account-')) {
      throw conflict('User exists with same username');
    }
    if (email && this.deps.realm.users.some((u) => u.email?.toLowerCase() === email)) throw conflict('User exists with same email');
    const realmRoles = strings(body.realmRoles, 'realmRoles') ?? [];
    if (realmRoles.length) throw badRequest('realmRoles are mapped with POST /users/{id}/role-mappings/realm');
    try {
      return await this.deps.users.create({
        username,
        email,
        emailVerified: bool(body.emailVerified, 'emailVerified'),
        enabled: bool(body.enabled, 'enabled'),
        firstName: str(body.firstName, 'firstName'),
        lastName: str(body.lastName, 'lastName'),
      });
    } catch (error) {
      if (error instanceof UserExistsError) throw conflict(error.message);
      throw error;
    }
  }

  // Roles

  private realmRoles(search?: string): string[] {
    const roles = [...this.deps.realm.roles].sort();
    return search ? roles.filter((r) => r.toLowerCase().includes(search.toLowerCase())) : roles;
  }

  private roleId(name: string): string {
    return stableUserId(this.deps.realm.name, `role:${name}`);
  }

  private roleRepresentation(name: string): Json {
    const description = this.deps.realm.roleDescriptions?.[name];
    return { id: this.roleId(name), name, ...(description ? { description } : {}), composite: (this.deps.realm.roleComposites?.[name]?.length ?? 0) > 0, clientRole: false, containerId: this.deps.realm.name };
  }

  /** The realm roles of a role-mapping body (an array of role representations); 404 for an unknown one, as Keycloak. */
  private rolesOf(body: unknown): string[] {
    if (!Array.isArray(body)) throw badRequest('Expected an array of roles');
    return body.map((rep: unknown) => {
      const { id, name } = (rep ?? {}) as { id?: unknown; name?: unknown };
      const role = typeof name === 'string'
        ? this.deps.realm.roles.find((r) => r === name)
        : this.deps.realm.roles.find((r) => this.roleId(r) === id);
      if (!role || (id !== undefined && id !== this.roleId(role))) throw new AdminError(404, { error: 'Role not found' });
      return role;
    });
  }

  private async mapRealmRoles(user: AnyUser, roles: string[], add: boolean): Promise<void> {
    if (user.kind === 'service-account') {
      const { clientId } = user.client;
      await (add ? this.deps.clients.addServiceAccountRoles(clientId, roles) : this.deps.clients.removeServiceAccountRoles(clientId, roles));
    } else if (user.kind === 'runtime') {
      await (add ? this.deps.users.addRealmRoles(user.user.id, roles) : this.deps.users.removeRealmRoles(user.user.id, roles));
    } else {
      throw badRequest('Role mappings of the realm file\'s users are changed in the realm file');
    }
  }
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const text = await readBody(req);
  try {
    return JSON.parse(text || 'null') as Json;
  } catch {
    throw badRequest('Malformed JSON body');
  }
}

function page<T>(items: T[], query: URLSearchParams): T[] {
  const first = Math.max(0, Number(query.get('first') ?? 0) || 0);
  const maxParam = query.get('max');
  const max = maxParam === null ? undefined : Math.max(0, Number(maxParam) || 0);
  return items.slice(first, max === undefined ? undefined : first + max);
}

/** Keycloak's `post.logout.redirect.uris` attribute (`+`: the redirect URIs; `##`-separated). */
function postLogoutUris(body: Json, redirectUris: string[] | undefined): string[] | undefined {
  const attribute = (body.attributes as Record<string, unknown> | undefined)?.['post.logout.redirect.uris'];
  if (typeof attribute !== 'string' || attribute === '+') return redirectUris;
  return attribute.split('##').filter(Boolean);
}

function clientRepresentation(client: StoredClient): Json {
  return {
    id: client.id,
    clientId: client.clientId,
    ...(client.name !== undefined ? { name: client.name } : {}),
    ...(client.description !== undefined ? { description: client.description } : {}),
    surrogateAuthRequired: false,
    enabled: client.enabled,
    alwaysDisplayInConsole: false,
    clientAuthenticatorType: 'client-secret',
    ...(client.secret ? { secret: client.secret } : {}),
    redirectUris: client.redirectUris,
    webOrigins: [],
    notBefore: 0,
    bearerOnly: false,
    consentRequired: false,
    standardFlowEnabled: client.standardFlowEnabled,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: client.directAccessGrantsEnabled,
    serviceAccountsEnabled: client.serviceAccountsEnabled,
    publicClient: client.publicClient,
    frontchannelLogout: true,
    protocol: 'openid-connect',
    attributes: { 'post.logout.redirect.uris': client.postLogoutRedirectUris.join('##') },
    fullScopeAllowed: true,
    protocolMappers: client.protocolMappers,
    access: { view: true, configure: true, manage: true },
  };
}

function realmRolesOf(user: AnyUser): string[] {
  switch (user.kind) {
    case 'service-account': return user.client.serviceAccountRoles;
    case 'runtime': return user.user.realmRoles;
    case 'realm': return user.user.roles;
  }
}

function userRepresentation(user: AnyUser): Json {
  const common = { totp: false, disableableCredentialTypes: [], requiredActions: [], notBefore: 0, access: { view: true, manage: true } };
  if (user.kind === 'service-account') {
    return {
      id: user.client.serviceAccountUserId,
      username: serviceAccountUsername(user.client.clientId),
      enabled: true,
      emailVerified: false,
      createdTimestamp: user.client.createdAt.getTime(),
      serviceAccountClientId: user.client.clientId,
      ...common,
    };
  }
  const u = user.user;
  return {
    id: u.id,
    username: u.username,
    ...(u.firstName ? { firstName: u.firstName } : {}),
    ...(u.lastName ? { lastName: u.lastName } : {}),
    ...(u.email ? { email: u.email } : {}),
    emailVerified: u.emailVerified,
    enabled: u.enabled,
    ...(user.kind === 'runtime' ? { createdTimestamp: user.user.createdAt.getTime() } : {}),
    ...common,
  };
}

import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { ClientMetadata } from 'oidc-provider';
import { ProtocolMapper, RealmClient, stableUserId } from './realm';

interface ClientRow {
  id: string;
  client_id: string;
  name: string | null;
  description: string | null;
  enabled: boolean;
  public_client: boolean;
  secret: string | null;
  standard_flow_enabled: boolean;
  direct_access_grants_enabled: boolean;
  service_accounts_enabled: boolean;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  service_account_roles: string[];
  service_account_client_roles: Record<string, string[]>;
  service_account_user_id: string;
  protocol_mappers: ProtocolMapper[];
  source: 'realm' | 'runtime';
  created_at: Date;
}

export interface StoredClient extends RealmClient {
  /** Keycloak's internal id of the client (the `{id}` of the Admin REST API). */
  id: string;
  /** Id of the client's service-account user (`service-account-<clientId>`). */
  serviceAccountUserId: string;
  serviceAccountClientRoles: Record<string, string[]>;
  /** Keycloak's protocol mappers, each with its id. */
  protocolMappers: Array<ProtocolMapper & { id: string }>;
  source: 'realm' | 'runtime';
  createdAt: Date;
}

/** A runtime client whose clientId is taken (Keycloak's 409). */
export class ClientExistsError extends Error {
  constructor(readonly clientId: string) {
    super(`client ${clientId} already exists`);
  }
}

const toClient = (row: ClientRow): StoredClient => ({
  id: row.id,
  clientId: row.client_id,
  name: row.name ?? undefined,
  description: row.description ?? undefined,
  enabled: row.enabled,
  publicClient: row.public_client,
  secret: row.secret ?? undefined,
  standardFlowEnabled: row.standard_flow_enabled,
  directAccessGrantsEnabled: row.direct_access_grants_enabled,
  serviceAccountsEnabled: row.service_accounts_enabled,
  redirectUris: row.redirect_uris,
  postLogoutRedirectUris: row.post_logout_redirect_uris,
  serviceAccountRoles: row.service_account_roles,
  serviceAccountClientRoles: row.service_account_client_roles,
  serviceAccountUserId: row.service_account_user_id,
  protocolMappers: row.protocol_mappers as StoredClient['protocolMappers'],
  source: row.source,
  createdAt: row.created_at,
});

export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Keycloak's `**********`-free way to make a client secret (32 url-safe characters). */
export const newClientSecret = (): string => randomBytes(24).toString('base64url');

/** Grant types a Keycloak client's switches allow. */
export function grantTypesOf(client: RealmClient): string[] {
  const grants: string[] = [];
  if (client.standardFlowEnabled) grants.push('authorization_code');
  if (client.serviceAccountsEnabled && !client.publicClient) grants.push('client_credentials');
  if (client.directAccessGrantsEnabled) grants.push('password');
  if (client.standardFlowEnabled || client.directAccessGrantsEnabled) grants.push('refresh_token');
  return grants;
}

/**
 * Keycloak resolves a relative redirect URI (`/*`) against the client's root URL, and against the
 * server's own origin when the client has none: here, the gateway's public URL, which also serves
 * the console. So one realm entry fits every port the launcher puts the gateway on.
 */
export function absoluteRedirectUris(uris: readonly string[], publicOrigin: string): string[] {
  return uris.map((uri) => (uri.startsWith('/') ? `${publicOrigin}${uri}` : uri));
}

/** The oidc-provider metadata of a Keycloak client; `publicOrigin` resolves relative redirect URIs. */
export function toClientMetadata(client: RealmClient, publicOrigin: string): ClientMetadata {
  client = {
    ...client,
    redirectUris: absoluteRedirectUris(client.redirectUris, publicOrigin),
    postLogoutRedirectUris: absoluteRedirectUris(client.postLogoutRedirectUris, publicOrigin),
  };
  // Standard flow without a redirect URI can't be used (Keycloak refuses every redirect); oidc-provider
  // would refuse the whole client, client credentials included.
  const standardFlow = client.standardFlowEnabled && client.redirectUris.length > 0;
  client = { ...client, standardFlowEnabled: standardFlow };
  return {
    client_id: client.clientId,
    client_name: client.name,
    ...(client.publicClient
      ? { token_endpoint_auth_method: 'none' }
      : { client_secret: client.secret, token_endpoint_auth_method: 'client_secret_basic' }),
    grant_types: grantTypesOf(client),
    response_types: standardFlow ? ['code'] : [],
    redirect_uris: standardFlow ? client.redirectUris : [],
    post_logout_redirect_uris: standardFlow ? client.postLogoutRedirectUris : [],
  };
}

export interface NewClient {
  clientId: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  publicClient?: boolean;
  secret?: string;
  standardFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  serviceAccountRoles?: string[];
  serviceAccountClientRoles?: Record<string, string[]>;
  protocolMappers?: ProtocolMapper[];
}

/** A runtime client already has a mapper of that name (Keycloak's 409). */
export class MapperExistsError extends Error {
  constructor(readonly mapperName: string) {
    super(`Protocol mapper exists with same name: ${mapperName}`);
  }
}

/**
 * Mappers as stored: names unique per client, each with an id (Keycloak gives every mapper one;
 * here it is derived from the client and the name, so the realm file's keep theirs across starts).
 */
function withIds(clientId: string, mappers: readonly ProtocolMapper[]): Array<ProtocolMapper & { id: string }> {
  const names = new Set<string>();
  return mappers.map((mapper) => {
    if (names.has(mapper.name)) throw new MapperExistsError(mapper.name);
    names.add(mapper.name);
    const id = mapper.id ?? stableUserId(`client:${clientId}`, `mapper:${mapper.name}`);
    return { protocol: 'openid-connect', ...mapper, id, config: mapper.config ?? {} };
  });
}

/** What `PUT /clients/{id}` may change (Keycloak: only the fields present). */
export type ClientPatch = Partial<Pick<RealmClient, 'name' | 'description' | 'enabled' | 'secret' | 'standardFlowEnabled'
  | 'directAccessGrantsEnabled' | 'serviceAccountsEnabled' | 'redirectUris' | 'postLogoutRedirectUris'>>;

const PATCH_COLUMNS: Record<keyof ClientPatch, string> = {
  name: 'name',
  description: 'description',
  enabled: 'enabled',
  secret: 'secret',
  standardFlowEnabled: 'standard_flow_enabled',
  directAccessGrantsEnabled: 'direct_access_grants_enabled',
  serviceAccountsEnabled: 'service_accounts_enabled',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
};

/**
 * Clients in Postgres: those of the realm file (written at every start, the file wins) and those
 * created at runtime (kept across restarts). A disabled client is invisible to oidc-provider, so
 * its token requests fail with `invalid_client`.
 */
export class ClientStore {
  constructor(private readonly pool: Pool) {}

  async find(clientId: string): Promise<StoredClient | undefined> {
    const { rows } = await this.pool.query<ClientRow>('SELECT * FROM client WHERE client_id = $1', [clientId]);
    return rows[0] ? toClient(rows[0]) : undefined;
  }

  async findById(id: string): Promise<StoredClient | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.pool.query<ClientRow>('SELECT * FROM client WHERE id = $1', [id]);
    return rows[0] ? toClient(rows[0]) : undefined;
  }

  async findByServiceAccountUserId(id: string): Promise<StoredClient | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.pool.query<ClientRow>('SELECT * FROM client WHERE service_account_user_id = $1 AND service_accounts_enabled', [id]);
    return rows[0] ? toClient(rows[0]) : undefined;
  }

  async list(): Promise<StoredClient[]> {
    const { rows } = await this.pool.query<ClientRow>('SELECT * FROM client ORDER BY client_id');
    return rows.map(toClient);
  }

  /** Writes the realm file's clients (insert or overwrite); runtime clients are left alone. */
  async importRealmClients(clients: RealmClient[]): Promise<void> {
    for (const client of clients) await this.write(client, 'realm', true);
  }

  /** Creates a confidential (or public) client at runtime; answers it with its secret. */
  async create(input: NewClient): Promise<StoredClient> {
    const publicClient = input.publicClient === true;
    const client: RealmClient = {
      clientId: input.clientId,
      name: input.name,
      description: input.description,
      enabled: input.enabled !== false,
      publicClient,
      secret: publicClient ? undefined : (input.secret ?? newClientSecret()),
      standardFlowEnabled: input.standardFlowEnabled === true,
      directAccessGrantsEnabled: input.directAccessGrantsEnabled === true,
      serviceAccountsEnabled: input.serviceAccountsEnabled === true,
      redirectUris: input.redirectUris ?? [],
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? input.redirectUris ?? [],
      serviceAccountRoles: input.serviceAccountRoles ?? [],
      serviceAccountClientRoles: input.serviceAccountClientRoles ?? {},
      protocolMappers: input.protocolMappers ?? [],
    };
    try {
      await this.write(client, 'runtime', false);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') throw new ClientExistsError(client.clientId);
      throw error;
    }
    return (await this.find(client.clientId))!;
  }

  /** Changes the fields present in `patch`; answers false for an unknown client. */
  async update(clientId: string, patch: ClientPatch): Promise<boolean> {
    const sets: string[] = [];
    const values: unknown[] = [clientId];
    for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof ClientPatch, string][]) {
      if (patch[key] === undefined) continue;
      values.push(patch[key]);
      sets.push(`${column} = $${values.length}`);
    }
    const { rowCount } = await this.pool.query(`UPDATE client SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE client_id = $1`, values);
    return rowCount === 1;
  }

  async delete(clientId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM client WHERE client_id = $1', [clientId]);
    return rowCount === 1;
  }

  async setEnabled(clientId: string, enabled: boolean): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE client SET enabled = $2, updated_at = now() WHERE client_id = $1', [clientId, enabled]);
    return rowCount === 1;
  }

  async setServiceAccountRoles(clientId: string, roles: string[]): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE client SET service_account_roles = $2, updated_at = now() WHERE client_id = $1', [clientId, roles]);
    return rowCount === 1;
  }

  /** Adds realm roles to the client's service account (already mapped ones are kept once). */
  async addServiceAccountRoles(clientId: string, roles: string[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE client SET service_account_roles = ARRAY(SELECT DISTINCT unnest(service_account_roles || $2::text[]) ORDER BY 1), updated_at = now()
       WHERE client_id = $1`, [clientId, roles]);
    return rowCount === 1;
  }

  async removeServiceAccountRoles(clientId: string, roles: string[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE client SET service_account_roles = ARRAY(SELECT r FROM unnest(service_account_roles) r WHERE r <> ALL($2::text[])), updated_at = now()
       WHERE client_id = $1`, [clientId, roles]);
    return rowCount === 1;
  }

  /** Adds a protocol mapper to a client: answers it with its id, undefined for an unknown client; MapperExistsError for a taken name. */
  async addProtocolMapper(clientId: string, mapper: ProtocolMapper): Promise<(ProtocolMapper & { id: string }) | undefined> {
    const client = await this.find(clientId);
    if (!client) return undefined;
    const mappers = withIds(clientId, [...client.protocolMappers, mapper]);
    const { rowCount } = await this.pool.query(
      'UPDATE client SET protocol_mappers = $2, updated_at = now() WHERE client_id = $1', [clientId, JSON.stringify(mappers)]);
    return rowCount === 1 ? mappers.at(-1) : undefined;
  }

  /** A new secret for a confidential client (Keycloak's "regenerate secret"); the old one stops working at once. */
  async regenerateSecret(clientId: string): Promise<string | undefined> {
    const secret = newClientSecret();
    const { rowCount } = await this.pool.query(
      'UPDATE client SET secret = $2, updated_at = now() WHERE client_id = $1 AND NOT public_client', [clientId, secret]);
    return rowCount === 1 ? secret : undefined;
  }

  /** Inserts a client; with `overwrite`, an existing one of the same clientId is overwritten (its ids are kept). */
  private async write(client: RealmClient, source: 'realm' | 'runtime', overwrite: boolean): Promise<void> {
    await this.pool.query(
      `INSERT INTO client (client_id, name, enabled, public_client, secret, standard_flow_enabled, direct_access_grants_enabled,
                           service_accounts_enabled, redirect_uris, post_logout_redirect_uris, service_account_roles, source,
                           description, service_account_client_roles, protocol_mappers)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ${overwrite ? `ON CONFLICT (client_id) DO UPDATE SET name = $2, enabled = $3, public_client = $4, secret = $5, standard_flow_enabled = $6,
         direct_access_grants_enabled = $7, service_accounts_enabled = $8, redirect_uris = $9, post_logout_redirect_uris = $10,
         service_account_roles = $11, source = $12, description = $13, service_account_client_roles = $14, protocol_mappers = $15,
         updated_at = now()` : ''}`,
      [client.clientId, client.name ?? null, client.enabled, client.publicClient, client.secret ?? null, client.standardFlowEnabled,
        client.directAccessGrantsEnabled, client.serviceAccountsEnabled, client.redirectUris, client.postLogoutRedirectUris,
        client.serviceAccountRoles, source, client.description ?? null, JSON.stringify(client.serviceAccountClientRoles ?? {}),
        JSON.stringify(withIds(client.clientId, client.protocolMappers ?? []))],
    );
  }
}

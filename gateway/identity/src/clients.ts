import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { ClientMetadata } from 'oidc-provider';
import type { RealmClient } from './realm';

interface ClientRow {
  client_id: string;
  name: string | null;
  enabled: boolean;
  public_client: boolean;
  secret: string | null;
  standard_flow_enabled: boolean;
  direct_access_grants_enabled: boolean;
  service_accounts_enabled: boolean;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  service_account_roles: string[];
  source: 'realm' | 'runtime';
}

export interface StoredClient extends RealmClient {
  source: 'realm' | 'runtime';
}

const toClient = (row: ClientRow): StoredClient => ({
  clientId: row.client_id,
  name: row.name ?? undefined,
  enabled: row.enabled,
  publicClient: row.public_client,
  secret: row.secret ?? undefined,
  standardFlowEnabled: row.standard_flow_enabled,
  directAccessGrantsEnabled: row.direct_access_grants_enabled,
  serviceAccountsEnabled: row.service_accounts_enabled,
  redirectUris: row.redirect_uris,
  postLogoutRedirectUris: row.post_logout_redirect_uris,
  serviceAccountRoles: row.service_account_roles,
  source: row.source,
});

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

/** The oidc-provider metadata of a Keycloak client. */
export function toClientMetadata(client: RealmClient): ClientMetadata {
  const standardFlow = client.standardFlowEnabled;
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
  enabled?: boolean;
  publicClient?: boolean;
  secret?: string;
  standardFlowEnabled?: boolean;
  directAccessGrantsEnabled?: boolean;
  serviceAccountsEnabled?: boolean;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  serviceAccountRoles?: string[];
}

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

  async list(): Promise<StoredClient[]> {
    const { rows } = await this.pool.query<ClientRow>('SELECT * FROM client ORDER BY client_id');
    return rows.map(toClient);
  }

  /** Writes the realm file's clients (insert or overwrite); runtime clients are left alone. */
  async importRealmClients(clients: RealmClient[]): Promise<void> {
    for (const client of clients) await this.upsert(client, 'realm');
  }

  /** Creates a confidential (or public) client at runtime; answers it with its secret. */
  async create(input: NewClient): Promise<StoredClient> {
    const publicClient = input.publicClient === true;
    const client: RealmClient = {
      clientId: input.clientId,
      name: input.name,
      enabled: input.enabled !== false,
      publicClient,
      secret: publicClient ? undefined : (input.secret ?? newClientSecret()),
      standardFlowEnabled: input.standardFlowEnabled === true,
      directAccessGrantsEnabled: input.directAccessGrantsEnabled === true,
      serviceAccountsEnabled: input.serviceAccountsEnabled === true,
      redirectUris: input.redirectUris ?? [],
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? input.redirectUris ?? [],
      serviceAccountRoles: input.serviceAccountRoles ?? [],
    };
    const { rowCount } = await this.pool.query('SELECT 1 FROM client WHERE client_id = $1', [client.clientId]);
    if (rowCount) throw new Error(`client ${client.clientId} already exists`);
    await this.upsert(client, 'runtime');
    return (await this.find(client.clientId))!;
  }

  async setEnabled(clientId: string, enabled: boolean): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE client SET enabled = $2, updated_at = now() WHERE client_id = $1', [clientId, enabled]);
    return rowCount === 1;
  }

  async setServiceAccountRoles(clientId: string, roles: string[]): Promise<boolean> {
    const { rowCount } = await this.pool.query('UPDATE client SET service_account_roles = $2, updated_at = now() WHERE client_id = $1', [clientId, roles]);
    return rowCount === 1;
  }

  /** A new secret for a confidential client (Keycloak's "regenerate secret"); the old one stops working at once. */
  async regenerateSecret(clientId: string): Promise<string | undefined> {
    const secret = newClientSecret();
    const { rowCount } = await this.pool.query(
      'UPDATE client SET secret = $2, updated_at = now() WHERE client_id = $1 AND NOT public_client', [clientId, secret]);
    return rowCount === 1 ? secret : undefined;
  }

  private async upsert(client: RealmClient, source: 'realm' | 'runtime'): Promise<void> {
    await this.pool.query(
      `INSERT INTO client (client_id, name, enabled, public_client, secret, standard_flow_enabled, direct_access_grants_enabled,
                           service_accounts_enabled, redirect_uris, post_logout_redirect_uris, service_account_roles, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (client_id) DO UPDATE SET name = $2, enabled = $3, public_client = $4, secret = $5, standard_flow_enabled = $6,
         direct_access_grants_enabled = $7, service_accounts_enabled = $8, redirect_uris = $9, post_logout_redirect_uris = $10,
         service_account_roles = $11, source = $12, updated_at = now()`,
      [client.clientId, client.name ?? null, client.enabled, client.publicClient, client.secret ?? null, client.standardFlowEnabled,
        client.directAccessGrantsEnabled, client.serviceAccountsEnabled, client.redirectUris, client.postLogoutRedirectUris,
        client.serviceAccountRoles, source],
    );
  }
}

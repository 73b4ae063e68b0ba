import type { Pool } from 'pg';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { ClientStore, toClientMetadata } from './clients';

/**
 * oidc-provider's storage over the `identity` schema: one row per (model, id) with the payload as
 * jsonb; grant_id, uid and user_code are columns so revocation and lookups use indexes. Expired
 * rows are invisible (and swept by {@link sweepExpired}).
 */
export class PostgresAdapter implements Adapter {
  constructor(private readonly pool: Pool, private readonly model: string) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO oidc_model (model, id, payload, grant_id, user_code, uid, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::int > 0 THEN now() + make_interval(secs => $7::int) END)
       ON CONFLICT (model, id) DO UPDATE SET payload = $3, grant_id = $4, user_code = $5, uid = $6, expires_at = EXCLUDED.expires_at`,
      [this.model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresIn ?? 0],
    );
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.findBy('id', id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findBy('uid', uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findBy('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE oidc_model SET consumed_at = now(), payload = payload || jsonb_build_object('consumed', extract(epoch FROM now())::bigint)
       WHERE model = $1 AND id = $2`, [this.model, id]);
  }

  async destroy(id: string): Promise<void> {
    await this.pool.query('DELETE FROM oidc_model WHERE model = $1 AND id = $2', [this.model, id]);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    // Every model's tokens of the grant (codes, refresh tokens, ...), as oidc-provider expects.
    await this.pool.query('DELETE FROM oidc_model WHERE grant_id = $1', [grantId]);
  }

  private async findBy(column: 'id' | 'uid' | 'user_code', value: string): Promise<AdapterPayload | undefined> {
    const { rows } = await this.pool.query<{ payload: AdapterPayload }>(
      `SELECT payload FROM oidc_model WHERE model = $1 AND ${column} = $2 AND (expires_at IS NULL OR expires_at > now()) LIMIT 1`,
      [this.model, value]);
    return rows[0]?.payload;
  }
}

/** The `Client` model: read-only, from the client table; a disabled or unknown client is "not found". */
export class ClientAdapter implements Adapter {
  constructor(private readonly clients: ClientStore, private readonly publicOrigin: string) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.clients.find(id);
    if (!client?.enabled) return undefined;
    return toClientMetadata(client, this.publicOrigin) as AdapterPayload;
  }

  async upsert(): Promise<void> {
    throw new Error('clients are managed through the client table, not oidc-provider');
  }
  async findByUid(): Promise<undefined> { return undefined; }
  async findByUserCode(): Promise<undefined> { return undefined; }
  async consume(): Promise<void> {}
  async destroy(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}

/** Deletes expired rows; the provider runs it every few minutes. */
export async function sweepExpired(pool: Pool): Promise<number> {
  const { rowCount } = await pool.query('DELETE FROM oidc_model WHERE expires_at < now()');
  return rowCount ?? 0;
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Drone } from './drone.types';
import { returnedRows, writeOrConflict } from '@fleet/database';

const COLUMNS = `id, name, keycloak_client_id AS "keycloakClientId", stream_key AS "streamKey", key_rotated_at AS "keyRotatedAt",
  record, retired_at AS "retiredAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The only place that knows the drone table's SQL. */
@Injectable()
export class DronesRepository {
  constructor(private readonly db: DataSource) {}

  /** A client id another active drone uses is a DatabaseConflict (duplicate). */
  async create(input: { name: string; keycloakClientId: string; streamKey: string; record: boolean }): Promise<Drone> {
    const rows: Drone[] = await writeOrConflict(() => this.db.query(
      `INSERT INTO drone (name, keycloak_client_id, stream_key, record) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [input.name, input.keycloakClientId, input.streamKey, input.record],
    ));
    return rows[0];
  }

  async getById(id: string): Promise<Drone | undefined> {
    const rows: Drone[] = await this.db.query(`SELECT ${COLUMNS} FROM drone WHERE id = $1`, [id]);
    return rows[0];
  }

  async getAll(includeRetired: boolean): Promise<Drone[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM drone ${includeRetired ? '' : 'WHERE retired_at IS NULL'} ORDER BY created_at, id`);
  }

  /** Active drone whose Keycloak client is `clientId` (telemetry tokens). */
  async getActiveByClientId(clientId: string): Promise<Drone | undefined> {
    const rows: Drone[] = await this.db.query(`SELECT ${COLUMNS} FROM drone WHERE keycloak_client_id = $1 AND retired_at IS NULL`, [clientId]);
    return rows[0];
  }

  /** Undefined when no active drone has `id`; a taken client id is a DatabaseConflict (duplicate). */
  async update(id: string, patch: { name?: string; keycloakClientId?: string; record?: boolean }): Promise<Drone | undefined> {
    const rows = returnedRows<Drone>(await writeOrConflict(() => this.db.query(
      `UPDATE drone SET name = COALESCE($2, name), keycloak_client_id = COALESCE($3, keycloak_client_id),
         record = COALESCE($4, record), updated_at = now()
       WHERE id = $1 AND retired_at IS NULL RETURNING ${COLUMNS}`,
      [id, patch.name ?? null, patch.keycloakClientId ?? null, patch.record ?? null],
    )));
    return rows[0];
  }

  async rotateKey(id: string, streamKey: string): Promise<Drone | undefined> {
    const rows = returnedRows<Drone>(await this.db.query(
      `UPDATE drone SET stream_key = $2, key_rotated_at = now(), updated_at = now() WHERE id = $1 AND retired_at IS NULL RETURNING ${COLUMNS}`,
      [id, streamKey],
    ));
    return rows[0];
  }

  /** Undoes a registration whose identity client could not be made (a new drone has no history yet). */
  async deleteById(id: string): Promise<void> {
    await this.db.query(`DELETE FROM drone WHERE id = $1`, [id]);
  }

  async retire(id: string): Promise<Drone | undefined> {
    const rows = returnedRows<Drone>(await this.db.query(
      `UPDATE drone SET retired_at = now(), updated_at = now() WHERE id = $1 AND retired_at IS NULL RETURNING ${COLUMNS}`,
      [id],
    ));
    return rows[0];
  }

  /** Stream key -> drone id of every active drone (the ingest's key cache). */
  async getActiveStreamKeys(): Promise<Array<{ id: string; streamKey: string; record: boolean }>> {
    return this.db.query(`SELECT id, stream_key AS "streamKey", record FROM drone WHERE retired_at IS NULL`);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RobotHeartbeat, RobotResponse } from '@fleet/contracts';
import { writeOrConflict } from '@fleet/database';
import { BASE_SCHEMA } from '../database/base.schema';
import { queryPage, SqlFilter } from '../paging/sql-filter';

export type RobotRow = Omit<RobotResponse, 'online' | 'created_at'> & { created_at: Date };

const T = `"${BASE_SCHEMA}".robot`;
const COLUMNS = 'id, name, station, assigned_train, keycloak_client_id, active, last_status, created_at';

@Injectable()
export class RobotsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A taken name or client id is a DatabaseConflict (duplicate). */
  async create(robot: { name: string; station: string; assigned_train: string | null; keycloak_client_id: string }): Promise<RobotRow> {
    const rows: RobotRow[] = await writeOrConflict(() => this.db.query(
      `INSERT INTO ${T} (name, station, assigned_train, keycloak_client_id) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
      [robot.name, robot.station, robot.assigned_train, robot.keycloak_client_id],
    ));
    return rows[0];
  }

  /** Null when there is no such robot; a taken name is a DatabaseConflict (duplicate). */
  async update(id: string, changes: { name?: string; station?: string; assigned_train?: string | null; active?: boolean }): Promise<RobotRow | null> {
    const rows: [RobotRow[], number] = await writeOrConflict(() => this.db.query(
      `UPDATE ${T} SET
         name = COALESCE($2, name), station = COALESCE($3, station),
         assigned_train = CASE WHEN $4 THEN $5 ELSE assigned_train END,
         active = COALESCE($6, active), updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, changes.name ?? null, changes.station ?? null, changes.assigned_train !== undefined, changes.assigned_train ?? null, changes.active ?? null],
    ));
    return rows[0][0] ?? null;
  }

  /** Undoes a registration whose identity client could not be made. */
  async deleteById(id: string): Promise<void> {
    await this.db.query(`DELETE FROM ${T} WHERE id = $1`, [id]);
  }

  async getById(id: string): Promise<RobotRow | null> {
    const rows: RobotRow[] = await this.db.query(`SELECT ${COLUMNS} FROM ${T} WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  async getByClientId(clientId: string): Promise<RobotRow | null> {
    const rows: RobotRow[] = await this.db.query(`SELECT ${COLUMNS} FROM ${T} WHERE keycloak_client_id = $1`, [clientId]);
    return rows[0] ?? null;
  }

  /** The robots registered for `clientIds`, by client id (absent: none). */
  async getByClientIds(clientIds: string[]): Promise<Map<string, RobotRow>> {
    const rows: RobotRow[] = await this.db.query(`SELECT ${COLUMNS} FROM ${T} WHERE keycloak_client_id = ANY($1::text[])`, [clientIds]);
    return new Map(rows.map((row) => [row.keycloak_client_id, row]));
  }

  /** `online`: only robots whose id is (true) or is not (false) in `onlineIds`. */
  getPage(filter: { station?: string; online?: boolean; onlineIds?: string[] }, limit: number, offset: number): Promise<{ rows: RobotRow[]; total: number }> {
    const where = new SqlFilter().add('station = ?', filter.station);
    if (filter.online === true) where.add('id = ANY(?::uuid[])', filter.onlineIds ?? []);
    if (filter.online === false) where.add('NOT (id = ANY(?::uuid[]))', filter.onlineIds ?? []);
    return queryPage<RobotRow>(this.db, where, { columns: COLUMNS, from: T, orderBy: 'name, id' }, limit, offset);
  }

  async saveStatus(id: string, status: RobotHeartbeat & { received_at: string }): Promise<void> {
    await this.db.query(`UPDATE ${T} SET last_status = $2, last_seen_at = now() WHERE id = $1`, [id, JSON.stringify(status)]);
  }
}

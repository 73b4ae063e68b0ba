import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EngineerRole } from '@fleet/contracts';
import { writeOrConflict } from '@fleet/database';
import { BASE_SCHEMA } from '../database/base.schema';
import { queryPage, SqlFilter } from '../paging/sql-filter';
import { EngineerView } from './engineers.view';

const E = `"${BASE_SCHEMA}".engineer`;
const O = `"${BASE_SCHEMA}".engineer_event_outbox`;

type EngineerRow = Omit<EngineerView, 'created_at' | 'updated_at' | 'deactivated_at'> & { created_at: Date; updated_at: Date; deactivated_at: Date | null };

function mapEngineer(row: EngineerRow): EngineerView {
  return { ...row, version: String(row.version), created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString(), deactivated_at: row.deactivated_at?.toISOString() ?? null };
}

/**
 * Appends the outbox row for the engineer the CTE `e` returned, in the same statement as the
 * change: the event exists exactly when the change committed. The payload is the contract's
 * EngineerEventParams.
 */
const WITH_EVENT = (event: string) => `,
  o AS (
    INSERT INTO ${O} (event, payload)
    SELECT '${event}', jsonb_build_object(
      'engineer_id', e.id, 'employee_number', e.employee_number, 'name', e.first_name || ' ' || e.last_name,
      'active', e.active, 'roles', to_jsonb(e.roles), 'version', e.version::text,
      'occurred_at', to_char(e.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    FROM e
  )
  SELECT * FROM e`;

export interface OutboxRow {
  id: string;
  event: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface EngineerFilter {
  role?: EngineerRole;
  name?: string;
  employee_number?: string;
  active?: boolean;
}

@Injectable()
export class EngineersRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** A taken employee number is a DatabaseConflict (duplicate). */
  async create(engineer: Omit<EngineerView, 'id' | 'active' | 'version' | 'created_at' | 'updated_at' | 'deactivated_at'>, event: string): Promise<EngineerView> {
    const rows: EngineerRow[] = await writeOrConflict(() => this.db.query(
      `WITH e AS (
         INSERT INTO ${E} (employee_number, first_name, last_name, email, phone, roles)
         VALUES ($1, $2, $3, $4, $5, $6::text[]) RETURNING *
       )${WITH_EVENT(event)}`,
      [engineer.employee_number, engineer.first_name, engineer.last_name, engineer.email, engineer.phone, engineer.roles],
    ));
    return mapEngineer(rows[0]);
  }

  /**
   * Applies the given fields (email and phone: null clears) and bumps the version; null when there
   * is no such engineer. A taken employee number is a DatabaseConflict (duplicate).
   */
  async update(id: string, changes: Partial<Pick<EngineerView, 'employee_number' | 'first_name' | 'last_name' | 'email' | 'phone' | 'roles'>>, event: string): Promise<EngineerView | null> {
    const rows: EngineerRow[] = await writeOrConflict(() => this.db.query(
      `WITH e AS (
         UPDATE ${E} SET
           employee_number = COALESCE($2, employee_number), first_name = COALESCE($3, first_name),
           last_name = COALESCE($4, last_name),
           email = CASE WHEN $8 THEN $5 ELSE email END, phone = CASE WHEN $9 THEN $6 ELSE phone END,
           roles = COALESCE($7::text[], roles), version = version + 1, updated_at = clock_timestamp()
         WHERE id = $1 RETURNING *
       )${WITH_EVENT(event)}`,
      [
        id, changes.employee_number ?? null, changes.first_name ?? null, changes.last_name ?? null, changes.email ?? null, changes.phone ?? null,
        changes.roles ?? null, changes.email !== undefined, changes.phone !== undefined,
      ],
    ));
    return rows[0] ? mapEngineer(rows[0]) : null;
  }

  /** Null when there is no such active engineer. */
  async deactivate(id: string, event: string): Promise<EngineerView | null> {
    const rows: EngineerRow[] = await this.db.query(
      `WITH e AS (
         UPDATE ${E} SET active = false, version = version + 1, updated_at = clock_timestamp(), deactivated_at = clock_timestamp()
         WHERE id = $1 AND active RETURNING *
       )${WITH_EVENT(event)}`,
      [id],
    );
    return rows[0] ? mapEngineer(rows[0]) : null;
  }

  async getById(id: string): Promise<EngineerView | null> {
    const rows: EngineerRow[] = await this.db.query(`SELECT * FROM ${E} WHERE id = $1`, [id]);
    return rows[0] ? mapEngineer(rows[0]) : null;
  }

  async getPage(filter: EngineerFilter, limit: number, offset: number): Promise<{ rows: EngineerView[]; total: number }> {
    const where = new SqlFilter()
      .add('? = ANY(roles)', filter.role)
      .contains(`(first_name || ' ' || last_name)`, filter.name)
      .add('employee_number = ?', filter.employee_number)
      .add('active = ?', filter.active);
    const { rows, total } = await queryPage<EngineerRow>(this.db, where, { columns: '*', from: E, orderBy: 'last_name, first_name, id' }, limit, offset);
    return { rows: rows.map(mapEngineer), total };
  }

  /**
   * Runs `publish` over the oldest unpublished events while holding a transaction-level
   * advisory lock, so one relay at a time (across instances) publishes, in outbox order.
   * Returns false when another relay holds the lock.
   */
  relay(batch: number, publish: (rows: OutboxRow[], manager: EntityManager) => Promise<void>): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const [{ locked }]: Array<{ locked: boolean }> = await manager.query(`SELECT pg_try_advisory_xact_lock(hashtext('base.engineer_event_outbox')) AS locked`);
      if (!locked) return false;
      const rows: OutboxRow[] = await manager.query(`SELECT id, event, payload, attempts FROM ${O} WHERE published_at IS NULL ORDER BY id LIMIT $1`, [batch]);
      await publish(rows, manager);
      return true;
    });
  }

  async markPublished(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`UPDATE ${O} SET published_at = clock_timestamp(), attempts = attempts + 1, last_error = NULL WHERE id = $1`, [id]);
  }

  async markFailed(manager: EntityManager, id: string, error: string): Promise<void> {
    await manager.query(`UPDATE ${O} SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error.slice(0, 1000)]);
  }

  async getOutboxState(): Promise<{ pending: number; published: number; last_error: string | null }> {
    const rows: Array<{ pending: string; published: string; last_error: string | null }> = await this.db.query(
      `SELECT count(*) FILTER (WHERE published_at IS NULL) AS pending, count(*) FILTER (WHERE published_at IS NOT NULL) AS published,
              (SELECT last_error FROM ${O} WHERE published_at IS NULL ORDER BY id LIMIT 1) AS last_error
       FROM ${O}`,
    );
    return { pending: Number(rows[0].pending), published: Number(rows[0].published), last_error: rows[0].last_error };
  }
}

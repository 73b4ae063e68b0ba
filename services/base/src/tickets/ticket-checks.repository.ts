import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { TicketCheckRecord, TicketDecision, TicketDirection } from '@fleet/contracts';
import { writeOrConflict } from '@fleet/database';
import { BASE_SCHEMA } from '../database/base.schema';
import { queryPage, SqlFilter } from '../paging/sql-filter';
import { TicketSnapshot, VALID_ENTRY_REASON_FORMAT } from './ticket-decision';

const C = `"${BASE_SCHEMA}".ticket_check`;
const T = `"${BASE_SCHEMA}".ticket`;
const R = `"${BASE_SCHEMA}".robot`;

type CheckRow = Omit<TicketCheckRecord, 'checked_at' | 'robot_name'> & { checked_at: Date };

export interface CheckFilter {
  robot_id?: string;
  ticket_code?: string;
  decision?: TicketDecision;
  direction?: TicketDirection;
  from?: Date;
  to?: Date;
}

export type StoredCheck = Omit<TicketCheckRecord, 'robot_name'>;
export type NewCheck = Omit<StoredCheck, 'id' | 'checked_at'>;

const mapCheck = (row: CheckRow): StoredCheck => ({ ...row, checked_at: row.checked_at.toISOString() });

/** The check's columns, then the consumed ticket's (none share a name but `id`, which is the check's). */
/** What the one-statement entry returns: what the caller did not know, nothing more (each column costs parsing). */
type ConsumedRow = Pick<CheckRow, 'id' | 'ticket_id' | 'reason'> & Omit<TicketSeat, 'code'>;

/**
 * {@link TicketChecksRepository.consumeByCodeAndRecord}'s statement. Prepared, so it names the
 * columns it returns: a prepared statement whose result would change shape (a column added by a
 * migration under `*`) fails until its connection closes.
 */
const CONSUME_BY_CODE_AND_RECORD = `WITH consumed AS (
    UPDATE ${T} SET status = 'used', used_at = $4, used_by_robot = $1
    WHERE code = $3 AND status = 'active' AND valid_from <= $4 AND valid_until > $4 AND ($5::text IS NULL OR train = $5)
    RETURNING id, train, car, seat, passenger_name
  ), recorded AS (
    INSERT INTO ${C} (robot_id, nonce, ticket_code, ticket_id, direction, decision, reason, checked_at)
    SELECT $1, $2, $3, id, 'entry', 'valid', format($6, train, car, seat), $4 FROM consumed
    RETURNING id, ticket_id, reason
  )
  SELECT r.id, r.ticket_id, r.reason, c.passenger_name, c.train, c.car, c.seat
  FROM recorded r CROSS JOIN consumed c`;

/** Who sits where: what a check's answer shows of the ticket. */
export type TicketSeat = Pick<TicketSnapshot, 'code' | 'passenger_name' | 'train' | 'car' | 'seat'>;

/** A valid entry, recorded, and the seat of the ticket it consumed. */
export interface ConsumedEntry {
  check: StoredCheck;
  ticket: TicketSeat;
}

@Injectable()
export class TicketChecksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * TypeORM's own pg pool, for the statement every entry scan runs: straight to pg as a named
   * (prepared) statement, so Postgres parses and plans it once per connection, and without
   * TypeORM's query runner around each call (it checks a connection out and in per query).
   */
  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * Serialises checks carrying the same (robot, nonce) until the transaction ends, so a retry
   * that overtakes its original waits and then finds the original's decision.
   */
  async lockNonce(manager: EntityManager, robotId: string, nonce: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`ticket-check:${robotId}:${nonce}`]);
  }

  async getByNonce(robotId: string, nonce: string, manager: EntityManager = this.db.manager): Promise<StoredCheck | null> {
    const rows: CheckRow[] = await manager.query(`SELECT * FROM ${C} WHERE robot_id = $1 AND nonce = $2`, [robotId, nonce]);
    return rows[0] ? mapCheck(rows[0]) : null;
  }

  async create(manager: EntityManager, check: NewCheck): Promise<StoredCheck> {
    const rows: CheckRow[] = await manager.query(
      `INSERT INTO ${C} (robot_id, nonce, ticket_code, ticket_id, direction, decision, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [check.robot_id, check.nonce, check.ticket_code, check.ticket_id, check.direction, check.decision, check.reason],
    );
    return mapCheck(rows[0]);
  }

  /**
   * The common case in ONE autocommit statement: consume the ticket (conditional UPDATE) and
   * record the valid decision. Null when the ticket was not consumable (another robot won, or
   * the caller's snapshot was stale): nothing is written then. A nonce seen before makes the
   * INSERT fail with a unique violation (a DatabaseConflict), which undoes the UPDATE with it.
   */
  async consumeAndRecord(check: NewCheck, now: Date): Promise<StoredCheck | null> {
    const rows: CheckRow[] = await writeOrConflict(() => this.db.query(
      `WITH consumed AS (
         UPDATE ${T} SET status = 'used', used_at = $8, used_by_robot = $1
         WHERE id = $4 AND status = 'active' AND valid_from <= $8 AND valid_until > $8 RETURNING id
       )
       INSERT INTO ${C} (robot_id, nonce, ticket_code, ticket_id, direction, decision, reason, checked_at)
       SELECT $1, $2, $3, id, $5, $6, $7, $8 FROM consumed RETURNING *`,
      [check.robot_id, check.nonce, check.ticket_code, check.ticket_id, check.direction, check.decision, check.reason, now],
    ));
    return rows[0] ? mapCheck(rows[0]) : null;
  }

  /**
   * A valid entry found, consumed and recorded in ONE statement, by code: what
   * {@link consumeAndRecord} does without first reading the ticket. The WHERE clause is
   * `decide()`'s "valid entry" (active, inside its window, on the robot's train if it has one);
   * the reason is `validEntryReason()` through its format string. Null when the ticket is not
   * validly enterable (or unknown): nothing is written then, and the caller decides on a snapshot.
   * A nonce seen before fails the INSERT with a unique violation, which undoes the UPDATE.
   */
  async consumeByCodeAndRecord(robotId: string, nonce: string, code: string, assignedTrain: string | null, now: Date): Promise<ConsumedEntry | null> {
    const { rows } = await writeOrConflict(() => this.pool.query<ConsumedRow>({
      name: 'base.ticket_check.consume_by_code_and_record',
      text: CONSUME_BY_CODE_AND_RECORD,
      values: [robotId, nonce, code, now, assignedTrain, VALID_ENTRY_REASON_FORMAT],
    }));
    const row = rows[0];
    if (!row) return null;
    const { id, ticket_id, reason, passenger_name, train, car, seat } = row;
    // The row as inserted: the columns the caller gave (checked_at is `now`, to the millisecond as sent).
    const check: StoredCheck = {
      id, robot_id: robotId, nonce, ticket_code: code, ticket_id, direction: TicketDirection.Entry, decision: TicketDecision.Valid, reason, checked_at: now.toISOString(),
    };
    return { check, ticket: { code, passenger_name, train, car, seat } };
  }

  /** Records a decision that changes no ticket; null when this robot used the nonce before. */
  async recordIfNew(check: NewCheck, now: Date): Promise<StoredCheck | null> {
    const rows: CheckRow[] = await this.db.query(
      `INSERT INTO ${C} (robot_id, nonce, ticket_code, ticket_id, direction, decision, reason, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (robot_id, nonce) DO NOTHING RETURNING *`,
      [check.robot_id, check.nonce, check.ticket_code, check.ticket_id, check.direction, check.decision, check.reason, now],
    );
    return rows[0] ? mapCheck(rows[0]) : null;
  }

  async getPage(filter: CheckFilter, limit: number, offset: number): Promise<{ rows: TicketCheckRecord[]; total: number }> {
    const where = new SqlFilter()
      .add('c.robot_id = ?', filter.robot_id)
      .add('c.ticket_code = ?', filter.ticket_code)
      .add('c.decision = ?', filter.decision)
      .add('c.direction = ?', filter.direction)
      .add('c.checked_at >= ?', filter.from)
      .add('c.checked_at < ?', filter.to);
    const { rows, total } = await queryPage<CheckRow & { robot_name: string }>(
      this.db, where, { columns: 'c.*, r.name AS robot_name', from: `${C} c JOIN ${R} r ON r.id = c.robot_id`, orderBy: 'c.checked_at DESC, c.id' }, limit, offset,
    );
    return { rows: rows.map((row) => ({ ...mapCheck(row), robot_name: row.robot_name })), total };
  }
}

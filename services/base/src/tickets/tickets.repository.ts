import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TicketResponse, TicketStatus } from '@fleet/contracts';
import { BASE_SCHEMA } from '../database/base.schema';
import { queryPage, SqlFilter } from '../paging/sql-filter';
import { TicketSnapshot } from './ticket-decision';
import { CreateTicketDto } from './tickets.dto';

const T = `"${BASE_SCHEMA}".ticket`;
const COLUMNS = `id, code, passenger_name, train, car, seat, departure_station, valid_from, valid_until, status,
  used_at, cancelled_at, cancel_reason, created_at`;
/** Rows per INSERT of an import: bounds one statement's size and lock time. */
const IMPORT_CHUNK = 1000;

type TicketRow = Omit<TicketResponse, 'valid_from' | 'valid_until' | 'used_at' | 'cancelled_at' | 'created_at'> & {
  valid_from: Date;
  valid_until: Date;
  used_at: Date | null;
  cancelled_at: Date | null;
  created_at: Date;
};

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function mapTicket(row: TicketRow): TicketResponse {
  return {
    ...row,
    valid_from: row.valid_from.toISOString(),
    valid_until: row.valid_until.toISOString(),
    used_at: iso(row.used_at),
    cancelled_at: iso(row.cancelled_at),
    created_at: row.created_at.toISOString(),
  };
}

export function snapshotOf(ticket: TicketResponse): TicketSnapshot {
  const { id, code, passenger_name, train, car, seat, departure_station, valid_from, valid_until, status, used_at } = ticket;
  return { id, code, passenger_name, train, car, seat, departure_station, valid_from, valid_until, status, used_at };
}

export interface TicketFilter {
  code?: string;
  train?: string;
  status?: TicketStatus;
  departure_station?: string;
  passenger?: string;
  valid_at?: Date;
}

@Injectable()
export class TicketsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Null when the code exists already. */
  async create(ticket: CreateTicketDto, createdBy: string): Promise<TicketResponse | null> {
    const rows = await this.insertMany([ticket], createdBy, this.db.manager);
    return rows[0] ?? null;
  }

  /**
   * Inserts the tickets whose code is free, in chunks, in one transaction; returns the created
   * ones. A code taken meanwhile is skipped (ON CONFLICT), never an error.
   */
  importMany(tickets: CreateTicketDto[], createdBy: string): Promise<TicketResponse[]> {
    return this.db.transaction(async (manager) => {
      const created: TicketResponse[] = [];
      for (let i = 0; i < tickets.length; i += IMPORT_CHUNK) {
        created.push(...(await this.insertMany(tickets.slice(i, i + IMPORT_CHUNK), createdBy, manager)));
      }
      return created;
    });
  }

  async getById(id: string): Promise<TicketResponse | null> {
    const rows: TicketRow[] = await this.db.query(`SELECT ${COLUMNS} FROM ${T} WHERE id = $1`, [id]);
    return rows[0] ? mapTicket(rows[0]) : null;
  }

  async getByCode(code: string, manager: EntityManager = this.db.manager): Promise<TicketResponse | null> {
    const rows: TicketRow[] = await manager.query(`SELECT ${COLUMNS} FROM ${T} WHERE code = $1`, [code]);
    return rows[0] ? mapTicket(rows[0]) : null;
  }

  /** Codes among `codes` that exist already. */
  async getExistingCodes(codes: string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const rows: Array<{ code: string }> = await this.db.query(`SELECT code FROM ${T} WHERE code = ANY($1::text[])`, [codes]);
    return new Set(rows.map((row) => row.code));
  }

  async getPage(filter: TicketFilter, limit: number, offset: number): Promise<{ rows: TicketResponse[]; total: number }> {
    const where = new SqlFilter()
      .add('code = ?', filter.code)
      .add('train = ?', filter.train)
      .add('status = ?', filter.status)
      .add('departure_station = ?', filter.departure_station)
      .contains('passenger_name', filter.passenger)
      .add('? >= valid_from', filter.valid_at)
      .add('? < valid_until', filter.valid_at);
    const { rows, total } = await queryPage<TicketRow>(this.db, where, { columns: COLUMNS, from: T, orderBy: 'created_at DESC, id' }, limit, offset);
    return { rows: rows.map(mapTicket), total };
  }

  /** Cancels an active ticket; null when it is not active (or does not exist). */
  async cancel(id: string, reason: string | null): Promise<TicketResponse | null> {
    const [rows]: [TicketRow[], number] = await this.db.query(
      `UPDATE ${T} SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2 WHERE id = $1 AND status = 'active' RETURNING ${COLUMNS}`,
      [id, reason],
    );
    return rows[0] ? mapTicket(rows[0]) : null;
  }

  /**
   * Consumes the ticket if, at `now`, it is active and inside its window: the conditional UPDATE
   * is the "exactly once": of two concurrent callers, the second waits for the first's row lock,
   * re-checks `status = 'active'` on the committed row and updates nothing. Null then.
   */
  async consume(manager: EntityManager, id: string, robotId: string, now: Date): Promise<TicketResponse | null> {
    const [rows]: [TicketRow[], number] = await manager.query(
      `UPDATE ${T} SET status = 'used', used_at = $3, used_by_robot = $2
       WHERE id = $1 AND status = 'active' AND valid_from <= $3 AND valid_until > $3 RETURNING ${COLUMNS}`,
      [id, robotId, now],
    );
    return rows[0] ? mapTicket(rows[0]) : null;
  }

  private async insertMany(tickets: CreateTicketDto[], createdBy: string, manager: EntityManager): Promise<TicketResponse[]> {
    const rows: TicketRow[] = await manager.query(
      `INSERT INTO ${T} (code, passenger_name, train, car, seat, departure_station, valid_from, valid_until, created_by)
       SELECT code, passenger_name, train, car, seat, departure_station, valid_from, valid_until, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(code text, passenger_name text, train text, car text, seat text,
         departure_station text, valid_from timestamptz, valid_until timestamptz)
       ON CONFLICT (code) DO NOTHING RETURNING ${COLUMNS}`,
      [JSON.stringify(tickets), createdBy],
    );
    return rows.map(mapTicket);
  }
}

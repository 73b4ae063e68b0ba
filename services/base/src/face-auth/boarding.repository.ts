import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BASE_SCHEMA } from '../database/base.schema';
import { queryPage, SqlFilter } from '../paging/sql-filter';
import { BoardingDecisionRecord } from './boarding-signature';
import { BoardingOutcome } from './boarding.dto';

const TABLE = `"${BASE_SCHEMA}".boarding_decision`;
const ROBOT = `"${BASE_SCHEMA}".robot`;

export interface BoardingDecisionFilter {
  ticket_code?: string;
  robot_id?: string;
  outcome?: BoardingOutcome;
}

export interface StoredBoardingDecision {
  record: BoardingDecisionRecord;
  signature: string;
}

/** A row as stored, in the canonical form its signature covers. */
function mapDecision(row: Record<string, unknown>): StoredBoardingDecision {
  const record: BoardingDecisionRecord = {
    id: row.id as string,
    robot_id: row.robot_id as string,
    ticket_code: row.ticket_code as string,
    ticket_id: row.ticket_id as string | null,
    ticket_decision: row.ticket_decision as string,
    ticket_check_id: row.ticket_check_id as string | null,
    outcome: row.outcome as string,
    face_similarity: row.face_similarity as number | null,
    face_threshold: row.face_threshold as number | null,
    liveness: row.liveness as BoardingDecisionRecord['liveness'],
    decided_at: new Date(row.decided_at as string).toISOString(),
  };
  return { record, signature: row.signature as string };
}

@Injectable()
export class BoardingRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(record: BoardingDecisionRecord, signature: string): Promise<void> {
    await this.db.query(
      `INSERT INTO ${TABLE} (id, robot_id, ticket_code, ticket_id, ticket_decision, ticket_check_id, outcome, face_similarity, face_threshold, liveness, decided_at, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [record.id, record.robot_id, record.ticket_code, record.ticket_id, record.ticket_decision, record.ticket_check_id, record.outcome, record.face_similarity, record.face_threshold, record.liveness === null ? null : JSON.stringify(record.liveness), record.decided_at, signature],
    );
  }

  async getById(id: string): Promise<StoredBoardingDecision | null> {
    const [row]: Array<Record<string, unknown>> = await this.db.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [id]);
    return row ? mapDecision(row) : null;
  }

  /** Newest first, each with the name of the robot that asked (null once the robot is deleted). */
  async getPage(filter: BoardingDecisionFilter, limit: number, offset: number): Promise<{ rows: Array<StoredBoardingDecision & { robot_name: string | null }>; total: number }> {
    const where = new SqlFilter().add('d.ticket_code = ?', filter.ticket_code).add('d.robot_id = ?', filter.robot_id).add('d.outcome = ?', filter.outcome);
    const { rows, total } = await queryPage<Record<string, unknown>>(
      this.db, where, { columns: 'd.*, r.name AS robot_name', from: `${TABLE} d LEFT JOIN ${ROBOT} r ON r.id = d.robot_id`, orderBy: 'd.decided_at DESC, d.id' }, limit, offset,
    );
    return { rows: rows.map((row) => ({ ...mapDecision(row), robot_name: row.robot_name as string | null })), total };
  }
}

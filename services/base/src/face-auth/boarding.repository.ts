import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BASE_SCHEMA } from '../database/base.schema';
import { BoardingDecisionRecord } from './boarding-signature';

const TABLE = `"${BASE_SCHEMA}".boarding_decision`;

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

  async getById(id: string): Promise<{ record: BoardingDecisionRecord; signature: string } | null> {
    const [row]: Array<Record<string, unknown>> = await this.db.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [id]);
    if (!row) return null;
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
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BASE_SCHEMA } from '../database/base.schema';

export type FaceLoginOutcome = 'recognised' | 'not_recognised' | 'inactive' | 'rejected_image' | 'error';

export interface FaceLoginAttempt {
  robotId: string;
  outcome: FaceLoginOutcome;
  engineerId: string | null;
  similarity: number | null;
  threshold: number | null;
  frames: number;
  liveness: unknown;
  detail: string | null;
  requestId: string | null;
}

export interface FaceLoginRecord extends FaceLoginAttempt {
  id: string;
  createdAt: string;
}

@Injectable()
export class FaceLoginsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(attempt: FaceLoginAttempt): Promise<string> {
    const [row] = await this.db.query(
      `INSERT INTO "${BASE_SCHEMA}".face_login_attempt (robot_id, outcome, engineer_id, similarity, threshold, frames, liveness, detail, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [attempt.robotId, attempt.outcome, attempt.engineerId, attempt.similarity, attempt.threshold, attempt.frames, attempt.liveness === undefined ? null : JSON.stringify(attempt.liveness), attempt.detail, attempt.requestId],
    );
    return (row as { id: string }).id;
  }

  /** Newest first, and the count under the same filter. */
  async latest(page: { limit: number; offset: number }, robotId?: string): Promise<{ rows: FaceLoginRecord[]; total: number }> {
    const [rows, counted]: [Array<Record<string, unknown>>, Array<{ total: number }>] = await Promise.all([
      this.db.query(
        `SELECT id, robot_id, outcome, engineer_id, similarity, threshold, frames, liveness, detail, request_id, created_at
         FROM "${BASE_SCHEMA}".face_login_attempt WHERE ($1::text IS NULL OR robot_id = $1) ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
        [robotId ?? null, page.limit, page.offset],
      ),
      this.db.query(`SELECT count(*)::int AS total FROM "${BASE_SCHEMA}".face_login_attempt WHERE ($1::text IS NULL OR robot_id = $1)`, [robotId ?? null]),
    ]);
    return { total: counted[0].total, rows: rows.map((r) => ({
      id: r.id as string,
      robotId: r.robot_id as string,
      outcome: r.outcome as FaceLoginOutcome,
      engineerId: r.engineer_id as string | null,
      similarity: r.similarity as number | null,
      threshold: r.threshold as number | null,
      frames: r.frames as number,
      liveness: r.liveness,
      detail: r.detail as string | null,
      requestId: r.request_id as string | null,
      createdAt: new Date(r.created_at as string).toISOString(),
    })) };
  }
}

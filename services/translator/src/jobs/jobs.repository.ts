import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TranslatorJobStatus } from '@fleet/contracts';
import { JobRecord, StageState } from './job.types';

export type NewJob = Pick<JobRecord, 'file_id' | 'source_language' | 'target_languages' | 'outputs' | 'burn_subtitles' | 'stages' | 'created_by'>;

/**
 * TypeORM answers an UPDATE with `[rows, count]` but a SELECT with rows, so every
 * `UPDATE ... RETURNING` here is wrapped in a CTE and read back with SELECT.
 */
@Injectable()
export class JobsRepository {
  constructor(private readonly db: DataSource) {}

  async create(job: NewJob): Promise<JobRecord> {
    const rows: JobRecord[] = await this.db.query(
      `INSERT INTO job (file_id, source_language, target_languages, outputs, burn_subtitles, status, stages, created_by)
       VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7) RETURNING *`,
      [job.file_id, job.source_language, job.target_languages, job.outputs, job.burn_subtitles, JSON.stringify(job.stages), job.created_by],
    );
    return rows[0];
  }

  async getById(id: string): Promise<JobRecord | undefined> {
    const rows: JobRecord[] = await this.db.query(`SELECT * FROM job WHERE id = $1`, [id]);
    return rows[0];
  }

  /** Newest first, and the count under the same filter. */
  async getPage(limit: number, offset: number, status?: TranslatorJobStatus): Promise<{ rows: JobRecord[]; total: number }> {
    const [rows, counted] = await Promise.all([
      this.db.query(`SELECT * FROM job WHERE ($3::text IS NULL OR status = $3) ORDER BY created_at DESC, id LIMIT $1 OFFSET $2`, [limit, offset, status ?? null]),
      this.db.query(`SELECT count(*)::int AS total FROM job WHERE ($1::text IS NULL OR status = $1)`, [status ?? null]),
    ]);
    return { rows, total: counted[0].total };
  }

  /**
   * Takes the oldest runnable job no live orchestrator holds (queued, or running with an expired
   * lease: its orchestrator died) and leases it to `owner`. SKIP LOCKED lets instances claim in parallel.
   */
  async claimNext(owner: string, leaseSec: number, exclude: string[]): Promise<JobRecord | undefined> {
    const rows: JobRecord[] = await this.db.query(
      `WITH claimed AS (
         UPDATE job SET lease_owner = $1, lease_until = now() + make_interval(secs => $2), status = 'running', updated_at = clock_timestamp()
         WHERE id = (
           SELECT id FROM job
           WHERE status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < now()) AND NOT (id = ANY($3::uuid[]))
           ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING *)
       SELECT * FROM claimed`,
      [owner, leaseSec, exclude],
    );
    return rows[0];
  }

  /** Extends the leases of the jobs `owner` is running. */
  async renewLeases(owner: string, ids: string[], leaseSec: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query(`UPDATE job SET lease_until = now() + make_interval(secs => $3) WHERE lease_owner = $1 AND id = ANY($2::uuid[])`, [owner, ids, leaseSec]);
  }

  async releaseLease(owner: string, id: string): Promise<void> {
    await this.db.query(`UPDATE job SET lease_owner = NULL, lease_until = NULL WHERE id = $1 AND lease_owner = $2`, [id, owner]);
  }

  /**
   * Stores the stage list (and the job's status) while the job is still this owner's and not
   * cancelled; false means someone cancelled it (or took it over) and the caller must stop.
   */
  async saveProgress(id: string, owner: string, stages: StageState[], status: TranslatorJobStatus, error: string | null): Promise<boolean> {
    const rows: Array<{ id: string }> = await this.db.query(
      `WITH saved AS (
         UPDATE job SET stages = $3, status = $4, error = $5, updated_at = clock_timestamp(),
           lease_owner = CASE WHEN $4 IN ('completed', 'failed') THEN NULL ELSE lease_owner END,
           lease_until = CASE WHEN $4 IN ('completed', 'failed') THEN NULL ELSE lease_until END
         WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id)
       SELECT id FROM saved`,
      [id, owner, JSON.stringify(stages), status, error],
    );
    return rows.length > 0;
  }

  /** Cancels a job that has not ended; returns the job as it is afterwards. */
  async cancel(id: string): Promise<JobRecord | undefined> {
    await this.db.query(
      `UPDATE job SET status = 'cancelled', error = 'cancelled by an operator', lease_owner = NULL, lease_until = NULL, updated_at = clock_timestamp()
       WHERE id = $1 AND status IN ('queued', 'running')`,
      [id],
    );
    return this.getById(id);
  }

  async statusOf(id: string): Promise<TranslatorJobStatus | undefined> {
    const rows: Array<{ status: TranslatorJobStatus }> = await this.db.query(`SELECT status FROM job WHERE id = $1`, [id]);
    return rows[0]?.status;
  }
}

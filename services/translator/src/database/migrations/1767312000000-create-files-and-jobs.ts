import { MigrationInterface, QueryRunner } from 'typeorm';
import { TRANSLATOR_SCHEMA } from '../translator.schema';

/**
 * Uploaded files (the bytes live in storage under their sha256) and jobs. A job keeps its whole
 * stage list with each stage's result as jsonb and is rewritten after every stage, so an
 * orchestrator that dies resumes from the last finished stage. `lease_owner`/`lease_until` say
 * which API instance is driving a job; an expired lease lets another instance take it over.
 */
export class CreateFilesAndJobs1767312000000 implements MigrationInterface {
  name = 'CreateFilesAndJobs1767312000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${TRANSLATOR_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.file (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        filename text NOT NULL,
        content_type text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        format text NOT NULL,
        duration_sec double precision NOT NULL,
        has_video boolean NOT NULL,
        uploaded_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        file_id uuid NOT NULL REFERENCES ${s}.file (id),
        source_language text NOT NULL,
        target_languages text[] NOT NULL,
        outputs text[] NOT NULL,
        burn_subtitles boolean NOT NULL DEFAULT false,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
        error text,
        stages jsonb NOT NULL,
        created_by text NOT NULL,
        lease_owner text,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(`CREATE INDEX job_runnable_idx ON ${s}.job (created_at) WHERE status IN ('queued', 'running')`);
    await runner.query(`CREATE INDEX job_created_at_idx ON ${s}.job (created_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${TRANSLATOR_SCHEMA}".job`);
    await runner.query(`DROP TABLE "${TRANSLATOR_SCHEMA}".file`);
  }
}

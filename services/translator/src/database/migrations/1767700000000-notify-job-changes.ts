import { MigrationInterface, QueryRunner } from 'typeorm';
import { TRANSLATOR_SCHEMA } from '../translator.schema';

/** NOTIFY channel on which every change of a job's status, stages or error is announced. */
export const JOB_CHANGED_CHANNEL = 'translator_job_changed';

/**
 * Job progress streams (SSE) are driven by Postgres LISTEN/NOTIFY instead of polling the row: a
 * trigger announces the job's id whenever what a client sees changes (not on lease renewals).
 */
export class NotifyJobChanges1767700000000 implements MigrationInterface {
  name = 'NotifyJobChanges1767700000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${TRANSLATOR_SCHEMA}"`;
    await runner.query(`
      CREATE FUNCTION ${s}.notify_job_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('${JOB_CHANGED_CHANNEL}', NEW.id::text);
        RETURN NEW;
      END $$`);
    await runner.query(`
      CREATE TRIGGER job_changed AFTER UPDATE ON ${s}.job FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.stages IS DISTINCT FROM NEW.stages OR OLD.error IS DISTINCT FROM NEW.error)
      EXECUTE FUNCTION ${s}.notify_job_changed()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER job_changed ON "${TRANSLATOR_SCHEMA}".job`);
    await runner.query(`DROP FUNCTION "${TRANSLATOR_SCHEMA}".notify_job_changed()`);
  }
}

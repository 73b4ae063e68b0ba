import { MigrationInterface, QueryRunner } from 'typeorm';
import { BASE_SCHEMA } from '../base.schema';

/**
 * Every face login attempt a robot makes, whatever its outcome: who was recognised (if anyone),
 * with what similarity against which threshold, from which robot, when. No image is kept.
 */
export class CreateFaceLogins1767600000000 implements MigrationInterface {
  name = 'CreateFaceLogins1767600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "${BASE_SCHEMA}".face_login_attempt (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        robot_id text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('recognised', 'not_recognised', 'inactive', 'rejected_image', 'error')),
        engineer_id uuid,
        similarity real,
        threshold real,
        frames integer NOT NULL,
        liveness jsonb,
        detail text,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX face_login_attempt_created_idx ON "${BASE_SCHEMA}".face_login_attempt (created_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${BASE_SCHEMA}".face_login_attempt`);
  }
}

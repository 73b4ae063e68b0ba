import { MigrationInterface, QueryRunner } from 'typeorm';
import { BASE_SCHEMA } from '../base.schema';

/**
 * One signed record per boarding attempt: the ticket result, the face score against its
 * threshold, the liveness result, the robot and the time. `signature` is an HMAC-SHA256 of the
 * record's canonical JSON (see boarding-signature.ts), so an auditor can tell an altered row.
 * Passengers opt in to face boarding: their ticket is enrolled with the face service.
 */
export class CreateBoardingDecisions1767600001000 implements MigrationInterface {
  name = 'CreateBoardingDecisions1767600001000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE "${BASE_SCHEMA}".boarding_decision (
        id uuid PRIMARY KEY,
        robot_id uuid NOT NULL,
        ticket_code text NOT NULL,
        ticket_id uuid,
        ticket_decision text NOT NULL,
        ticket_check_id uuid,
        outcome text NOT NULL CHECK (outcome IN ('boarded', 'ticket_refused', 'not_enrolled', 'face_mismatch', 'liveness_failed', 'rejected_image')),
        face_similarity real,
        face_threshold real,
        liveness jsonb,
        decided_at timestamptz NOT NULL,
        signature text NOT NULL
      )`);
    await runner.query(`CREATE INDEX boarding_decision_ticket_idx ON "${BASE_SCHEMA}".boarding_decision (ticket_code, decided_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${BASE_SCHEMA}".boarding_decision`);
  }
}

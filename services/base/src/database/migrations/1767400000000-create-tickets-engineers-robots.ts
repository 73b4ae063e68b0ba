import { MigrationInterface, QueryRunner } from 'typeorm';
import { BASE_SCHEMA } from '../base.schema';

/**
 * Tickets and their checks, robots, engineers and the engineers' event outbox.
 *
 * - `ticket.status` moves active -> used (one entry check, by a conditional UPDATE) or
 *   active -> cancelled; both are final.
 * - `ticket_check` records every decision; (robot_id, nonce) is unique, so a retried scan can
 *   only ever find the first decision, never make a second one.
 * - `engineer_event_outbox` is written in the same transaction as the engineer change, so an
 *   event exists exactly when the change committed; a relay publishes it afterwards.
 */
export class CreateTicketsEngineersRobots1767400000000 implements MigrationInterface {
  name = 'CreateTicketsEngineersRobots1767400000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${BASE_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.ticket (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$'),
        passenger_name text NOT NULL CHECK (length(passenger_name) BETWEEN 1 AND 200),
        train text NOT NULL CHECK (length(train) BETWEEN 1 AND 32),
        car text NOT NULL CHECK (length(car) BETWEEN 1 AND 16),
        seat text NOT NULL CHECK (length(seat) BETWEEN 1 AND 16),
        departure_station text NOT NULL CHECK (length(departure_station) BETWEEN 1 AND 100),
        valid_from timestamptz NOT NULL,
        valid_until timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'used', 'cancelled')),
        used_at timestamptz,
        used_by_robot uuid,
        cancelled_at timestamptz,
        cancel_reason text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (valid_until > valid_from)
      )`);
    await runner.query(`CREATE INDEX ticket_train_idx ON ${s}.ticket (train, valid_from)`);
    await runner.query(`CREATE INDEX ticket_status_idx ON ${s}.ticket (status)`);
    await runner.query(`CREATE INDEX ticket_created_idx ON ${s}.ticket (created_at DESC, id)`);

    await runner.query(`
      CREATE TABLE ${s}.robot (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
        station text NOT NULL CHECK (length(station) BETWEEN 1 AND 100),
        assigned_train text CHECK (length(assigned_train) BETWEEN 1 AND 32),
        keycloak_client_id text NOT NULL UNIQUE CHECK (length(keycloak_client_id) BETWEEN 1 AND 255),
        active boolean NOT NULL DEFAULT true,
        last_status jsonb,
        last_seen_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await runner.query(`
      CREATE TABLE ${s}.ticket_check (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        robot_id uuid NOT NULL REFERENCES ${s}.robot (id),
        nonce text NOT NULL,
        ticket_code text NOT NULL,
        ticket_id uuid REFERENCES ${s}.ticket (id),
        direction text NOT NULL CHECK (direction IN ('entry', 'exit')),
        decision text NOT NULL CHECK (decision IN ('valid', 'already_used', 'expired', 'not_yet_valid', 'cancelled', 'unknown', 'wrong_train')),
        reason text NOT NULL,
        checked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT ticket_check_robot_nonce_key UNIQUE (robot_id, nonce)
      )`);
    await runner.query(`CREATE INDEX ticket_check_time_idx ON ${s}.ticket_check (checked_at DESC, id)`);
    await runner.query(`CREATE INDEX ticket_check_ticket_idx ON ${s}.ticket_check (ticket_code)`);

    await runner.query(`
      CREATE TABLE ${s}.engineer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        employee_number text NOT NULL UNIQUE CHECK (employee_number ~ '^[A-Za-z0-9][A-Za-z0-9-]{0,31}$'),
        first_name text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
        last_name text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
        email text,
        phone text,
        roles text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        version bigint NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deactivated_at timestamptz
      )`);

    await runner.query(`
      CREATE TABLE ${s}.engineer_event_outbox (
        id bigserial PRIMARY KEY,
        event text NOT NULL,
        payload jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await runner.query(`CREATE INDEX engineer_event_outbox_pending_idx ON ${s}.engineer_event_outbox (id) WHERE published_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${BASE_SCHEMA}"`;
    for (const table of ['engineer_event_outbox', 'engineer', 'ticket_check', 'robot', 'ticket']) {
      await runner.query(`DROP TABLE ${s}.${table}`);
    }
  }
}

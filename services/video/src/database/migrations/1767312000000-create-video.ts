import { MigrationInterface, QueryRunner } from 'typeorm';
import { VIDEO_SCHEMA } from '../video.schema';

/**
 * Drones, their stream sessions (connection history: publish and play) and telemetry samples.
 * A drone's stream key is unique among all drones ever registered, so a rotated key can never
 * come back; retired drones keep their rows for history.
 */
export class CreateVideo1767312000000 implements MigrationInterface {
  name = 'CreateVideo1767312000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${VIDEO_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.drone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        keycloak_client_id text NOT NULL CHECK (keycloak_client_id ~ '^[A-Za-z0-9._-]{1,100}$'),
        stream_key text NOT NULL UNIQUE,
        key_rotated_at timestamptz NOT NULL DEFAULT now(),
        record boolean NOT NULL DEFAULT false,
        retired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // One active drone per Keycloak client: a telemetry token maps to exactly one drone.
    await runner.query(`CREATE UNIQUE INDEX drone_active_client_key ON ${s}.drone (keycloak_client_id) WHERE retired_at IS NULL`);
    await runner.query(`
      CREATE TABLE ${s}.stream_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        drone_id uuid NOT NULL REFERENCES ${s}.drone (id),
        kind text NOT NULL CHECK (kind IN ('publish', 'play')),
        client_address text NOT NULL,
        instance text NOT NULL,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        bytes bigint NOT NULL DEFAULT 0,
        video_codec text,
        width integer,
        height integer,
        fps real,
        end_reason text
      )`);
    await runner.query(`CREATE INDEX stream_session_drone_started ON ${s}.stream_session (drone_id, started_at DESC)`);
    await runner.query(`CREATE INDEX stream_session_open ON ${s}.stream_session (instance) WHERE ended_at IS NULL`);
    await runner.query(`
      CREATE TABLE ${s}.telemetry (
        id bigint GENERATED ALWAYS AS IDENTITY,
        drone_id uuid NOT NULL REFERENCES ${s}.drone (id),
        ts timestamptz NOT NULL,
        received_at timestamptz NOT NULL,
        stream_ms bigint,
        stream_clock text CHECK (stream_clock IN ('drone', 'server')),
        lat double precision NOT NULL,
        lon double precision NOT NULL,
        alt_m real,
        speed_mps real,
        heading_deg real,
        battery_pct real,
        signal_dbm real,
        PRIMARY KEY (drone_id, ts, id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${VIDEO_SCHEMA}".telemetry`);
    await runner.query(`DROP TABLE "${VIDEO_SCHEMA}".stream_session`);
    await runner.query(`DROP TABLE "${VIDEO_SCHEMA}".drone`);
  }
}

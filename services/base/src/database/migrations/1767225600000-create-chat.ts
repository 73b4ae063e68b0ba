import { MigrationInterface, QueryRunner } from 'typeorm';
import { BASE_SCHEMA } from '../base.schema';

/**
 * Chat rooms and their messages. `room.last_seq` is the per-room counter that a send bumps in
 * the same statement that inserts the message, so seqs are gap-free; the unique (room, seq)
 * index enforces it and serves history and resume reads (`room = $1 AND seq > $2 ORDER BY seq`).
 */
export class CreateChat1767225600000 implements MigrationInterface {
  name = 'CreateChat1767225600000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${BASE_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.room (
        name text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
        last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room text NOT NULL REFERENCES ${s}.room (name),
        seq bigint NOT NULL CHECK (seq > 0),
        content text NOT NULL,
        user_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT message_room_seq_key UNIQUE (room, seq)
      )`);
    // Every client is in the lobby, so it exists before the first client connects.
    await runner.query(`INSERT INTO ${s}.room (name, created_by) VALUES ('lobby', 'system')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${BASE_SCHEMA}".message`);
    await runner.query(`DROP TABLE "${BASE_SCHEMA}".room`);
  }
}

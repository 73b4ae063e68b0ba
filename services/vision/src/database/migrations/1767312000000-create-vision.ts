import { MigrationInterface, QueryRunner } from 'typeorm';
import { VISION_SCHEMA } from '../vision.schema';

/**
 * Catalogue (tools, toolkits, their items), the engineers mirrored from base, and toolkit loans.
 * `one open loan per toolkit` is a partial unique index, so two robots issuing the same kit at the
 * same moment cannot both succeed.
 */
export class CreateVision1767312000000 implements MigrationInterface {
  name = 'CreateVision1767312000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${VISION_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.tool (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        serial_number text NOT NULL UNIQUE CHECK (length(serial_number) BETWEEN 1 AND 64),
        category text NOT NULL CHECK (length(category) BETWEEN 1 AND 100),
        class_name text NOT NULL CHECK (length(class_name) BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.toolkit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.toolkit_item (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        toolkit_id uuid NOT NULL REFERENCES ${s}.toolkit (id) ON DELETE CASCADE,
        tool_id uuid NOT NULL REFERENCES ${s}.tool (id) ON DELETE RESTRICT,
        quantity int NOT NULL DEFAULT 1 CHECK (quantity BETWEEN 1 AND 1000),
        CONSTRAINT toolkit_item_tool_unique UNIQUE (toolkit_id, tool_id)
      )`);
    await runner.query(`
      CREATE TABLE ${s}.engineer (
        id uuid PRIMARY KEY,
        employee_number text NOT NULL,
        name text NOT NULL,
        active boolean NOT NULL,
        version bigint NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE ${s}.toolkit_transaction (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        toolkit_id uuid NOT NULL REFERENCES ${s}.toolkit (id) ON DELETE RESTRICT,
        engineer_id uuid NOT NULL REFERENCES ${s}.engineer (id),
        status text NOT NULL CHECK (status IN ('issued', 'complete', 'incomplete', 'needs_review')),
        issued_at timestamptz NOT NULL,
        issued_by text NOT NULL,
        returned_at timestamptz,
        returned_by text,
        detected_status text,
        comparison jsonb,
        resolved_by text,
        resolution_reason text,
        resolved_at timestamptz
      )`);
    await runner.query(`CREATE UNIQUE INDEX toolkit_transaction_one_open_loan ON ${s}.toolkit_transaction (toolkit_id) WHERE returned_at IS NULL`);
    await runner.query(`CREATE INDEX toolkit_transaction_status ON ${s}.toolkit_transaction (status, issued_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${VISION_SCHEMA}"`;
    for (const table of ['toolkit_transaction', 'engineer', 'toolkit_item', 'toolkit', 'tool']) await runner.query(`DROP TABLE ${s}.${table}`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { FACE_SCHEMA } from '../face.schema';

/**
 * Persons and their face templates: the source of truth. ChromaDB only mirrors `embedding` for
 * search and is rebuilt from here (`rebuild-index`). Each template names the model that made
 * it, since vectors of different models cannot be compared.
 */
export class CreateFace1767500000000 implements MigrationInterface {
  name = 'CreateFace1767500000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${FACE_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.person (
        id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${s}.template (
        id uuid PRIMARY KEY,
        person_id text NOT NULL REFERENCES ${s}.person (id) ON DELETE CASCADE,
        model_version text NOT NULL,
        embedding real[] NOT NULL CHECK (cardinality(embedding) > 0),
        detection_score real NOT NULL,
        face_size integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX template_person_model_idx ON ${s}.template (person_id, model_version)`);
    await runner.query(`CREATE INDEX template_model_idx ON ${s}.template (model_version, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE "${FACE_SCHEMA}".template`);
    await runner.query(`DROP TABLE "${FACE_SCHEMA}".person`);
  }
}

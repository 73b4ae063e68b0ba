import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FACE_SCHEMA } from '../database/face.schema';

export interface NewTemplate {
  id: string;
  embedding: Float32Array;
  detectionScore: number;
  faceSize: number;
}

export interface StoredVector {
  id: string;
  personId: string;
  embedding: number[];
}

const T = `"${FACE_SCHEMA}".template`;
const P = `"${FACE_SCHEMA}".person`;

/** The only place that speaks SQL to the face schema. */
@Injectable()
export class TemplateRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Stores a person's new templates in one transaction and returns how many templates of this
   * model the person has. Template ids are derived from the message, so a redelivered enroll
   * inserts nothing twice.
   */
  async saveEnrollment(personId: string, modelVersion: string, templates: NewTemplate[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO ${P} (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET updated_at = now()`, [personId]);
      for (const t of templates) {
        await tx.query(
          `INSERT INTO ${T} (id, person_id, model_version, embedding, detection_score, face_size) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
          [t.id, personId, modelVersion, Array.from(t.embedding), t.detectionScore, t.faceSize],
        );
      }
      const [{ count }] = await tx.query(`SELECT count(*)::int AS count FROM ${T} WHERE person_id = $1 AND model_version = $2`, [personId, modelVersion]);
      return count as number;
    });
  }

  /** Undoes {@link saveEnrollment} when the index could not take the vectors; drops the person if nothing else is left. */
  async deleteTemplates(personId: string, ids: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM ${T} WHERE id = ANY($1::uuid[])`, [ids]);
      await tx.query(`DELETE FROM ${P} p WHERE p.id = $1 AND NOT EXISTS (SELECT 1 FROM ${T} t WHERE t.person_id = p.id)`, [personId]);
    });
  }

  async getEmbeddings(personId: string, modelVersion: string): Promise<Float32Array[]> {
    const rows: Array<{ embedding: number[] }> = await this.db.query(`SELECT embedding FROM ${T} WHERE person_id = $1 AND model_version = $2`, [personId, modelVersion]);
    return rows.map((row) => Float32Array.from(row.embedding));
  }

  async personExists(personId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM ${P} WHERE id = $1`, [personId]);
    return rows.length > 0;
  }

  /** Removes the person and (by cascade) every template of every model; returns the template count. */
  async forgetPerson(personId: string): Promise<{ existed: boolean; templates: number }> {
    return this.db.transaction(async (tx) => {
      const [{ count }] = await tx.query(`SELECT count(*)::int AS count FROM ${T} WHERE person_id = $1`, [personId]);
      const deleted: [unknown[], number] = await tx.query(`DELETE FROM ${P} WHERE id = $1`, [personId]);
      return { existed: deleted[1] > 0, templates: count as number };
    });
  }

  /** One page of a model's templates in id order, for rebuilding the index. */
  async pageForRebuild(modelVersion: string, afterId: string | null, limit: number): Promise<StoredVector[]> {
    const rows: Array<{ id: string; person_id: string; embedding: number[] }> = await this.db.query(
      `SELECT id, person_id, embedding FROM ${T} WHERE model_version = $1 AND ($2::uuid IS NULL OR id > $2::uuid) ORDER BY id LIMIT $3`,
      [modelVersion, afterId, limit],
    );
    return rows.map((row) => ({ id: row.id, personId: row.person_id, embedding: row.embedding }));
  }
}

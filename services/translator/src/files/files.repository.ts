import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FileRecord } from './file.types';

@Injectable()
export class FilesRepository {
  constructor(private readonly db: DataSource) {}

  async create(file: Omit<FileRecord, 'id' | 'created_at'>): Promise<FileRecord> {
    const rows: FileRecord[] = await this.db.query(
      `INSERT INTO file (sha256, filename, content_type, size, format, duration_sec, has_video, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [file.sha256, file.filename, file.content_type, file.size, file.format, file.duration_sec, file.has_video, file.uploaded_by],
    );
    return normalise(rows[0]);
  }

  async getById(id: string): Promise<FileRecord | undefined> {
    const rows: FileRecord[] = await this.db.query(`SELECT * FROM file WHERE id = $1`, [id]);
    return rows[0] ? normalise(rows[0]) : undefined;
  }
}

/** pg returns bigint as a string. */
function normalise(row: FileRecord): FileRecord {
  return { ...row, size: Number(row.size) };
}

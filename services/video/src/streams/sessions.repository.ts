import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { returnedRows } from '@fleet/database';

export interface StreamSessionRow {
  id: string;
  drone_id: string;
  kind: 'publish' | 'play';
  client_address: string;
  instance: string;
  started_at: Date;
  ended_at: Date | null;
  bytes: string;
  video_codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  end_reason: string | null;
}

export interface SessionEnd {
  endedAt: Date;
  bytes: number;
  reason: string;
  videoCodec?: string | null;
  width?: number | null;
  height?: number | null;
  fps?: number | null;
}

export interface SessionFilter {
  droneId?: string;
  kind?: 'publish' | 'play';
  from?: Date;
  to?: Date;
  open?: boolean;
  limit: number;
  offset: number;
}

/** Connection history: one row per publish or play session. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: DataSource) {}

  async start(row: { id: string; droneId: string; kind: 'publish' | 'play'; clientAddress: string; instance: string; startedAt: Date }): Promise<void> {
    await this.db.query(
      `INSERT INTO stream_session (id, drone_id, kind, client_address, instance, started_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.droneId, row.kind, row.clientAddress, row.instance, row.startedAt],
    );
  }

  /** Closes a session, once: a row that is already closed keeps its first end. */
  async end(id: string, end: SessionEnd): Promise<boolean> {
    const rows = returnedRows<{ id: string }>(await this.db.query(
      `UPDATE stream_session SET ended_at = $2, bytes = $3, end_reason = $4,
         video_codec = COALESCE($5, video_codec), width = COALESCE($6, width), height = COALESCE($7, height), fps = COALESCE($8, fps)
       WHERE id = $1 AND ended_at IS NULL RETURNING id`,
      [id, end.endedAt, end.bytes, end.reason, end.videoCodec ?? null, end.width ?? null, end.height ?? null, end.fps ?? null],
    ));
    return rows.length === 1;
  }

  /**
   * Closes every session an instance left open when it stopped without closing them (crash,
   * kill -9), with the closing values it was last seen with where they are known (else now, and
   * the bytes the row has).
   */
  async closeOrphans(instance: string, reason: string, lastSeen: Array<Omit<SessionEnd, 'reason'> & { sessionId: string }>): Promise<StreamSessionRow[]> {
    const seen = lastSeen.map((s) => ({ id: s.sessionId, ended_at: s.endedAt, bytes: s.bytes, video_codec: s.videoCodec, width: s.width, height: s.height, fps: s.fps }));
    return returnedRows<StreamSessionRow>(await this.db.query(
      `UPDATE stream_session s SET end_reason = $2, ended_at = GREATEST(s.started_at, COALESCE(seen.ended_at, now())),
         bytes = COALESCE(seen.bytes, s.bytes), video_codec = COALESCE(seen.video_codec, s.video_codec),
         width = COALESCE(seen.width, s.width), height = COALESCE(seen.height, s.height), fps = COALESCE(seen.fps, s.fps)
       FROM stream_session o
         LEFT JOIN jsonb_to_recordset($3::jsonb) AS seen(id uuid, ended_at timestamptz, bytes bigint, video_codec text, width integer, height integer, fps real)
         ON seen.id = o.id
       WHERE s.id = o.id AND o.instance = $1 AND o.ended_at IS NULL
       RETURNING s.*`,
      [instance, reason, JSON.stringify(seen)],
    ));
  }

  /** One page, newest first, and the count under the same filter. */
  async list(filter: SessionFilter): Promise<{ rows: StreamSessionRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.droneId) add('drone_id = ?', filter.droneId);
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.from) add('COALESCE(ended_at, now()) >= ?', filter.from);
    if (filter.to) add('started_at < ?', filter.to);
    if (filter.open !== undefined) where.push(filter.open ? 'ended_at IS NULL' : 'ended_at IS NOT NULL');
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [rows, counted] = await Promise.all([
      this.db.query(`SELECT * FROM stream_session ${whereSql} ORDER BY started_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [...params, filter.limit, filter.offset]),
      this.db.query(`SELECT count(*)::int AS total FROM stream_session ${whereSql}`, params),
    ]);
    return { rows, total: counted[0].total };
  }
}

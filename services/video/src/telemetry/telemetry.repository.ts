import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TelemetrySampleView } from '@fleet/contracts';

export interface TelemetryRow {
  droneId: string;
  ts: Date;
  receivedAt: Date;
  streamMs: number | null;
  streamClock: 'drone' | 'server' | null;
  lat: number;
  lon: number;
  altM: number | null;
  speedMps: number | null;
  headingDeg: number | null;
  batteryPct: number | null;
  signalDbm: number | null;
}

export interface TrackPoint {
  ts: string;
  lat: number;
  lon: number;
  alt_m: number | null;
  speed_mps: number | null;
  battery_pct: number | null;
  samples: number;
}

const VIEW = `id::text AS id, drone_id, ts, received_at, stream_ms, stream_clock, lat, lon, alt_m, speed_mps, heading_deg, battery_pct, signal_dbm`;

/** Telemetry samples: batch inserts, keyset pages and bucketed tracks. */
@Injectable()
export class TelemetryRepository {
  constructor(private readonly db: DataSource) {}

  /** One statement per batch (unnest of column arrays), however many samples. */
  async insertMany(rows: TelemetryRow[]): Promise<void> {
    const column = <K extends keyof TelemetryRow>(key: K) => rows.map((row) => row[key]);
    await this.db.query(
      `INSERT INTO telemetry (drone_id, ts, received_at, stream_ms, stream_clock, lat, lon, alt_m, speed_mps, heading_deg, battery_pct, signal_dbm)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::bigint[], $5::text[], $6::float8[], $7::float8[],
                            $8::real[], $9::real[], $10::real[], $11::real[], $12::real[])`,
      [
        column('droneId'), column('ts'), column('receivedAt'), column('streamMs'), column('streamClock'), column('lat'), column('lon'),
        column('altM'), column('speedMps'), column('headingDeg'), column('batteryPct'), column('signalDbm'),
      ],
    );
  }

  /** Samples in [from, to) ordered by (ts, id), after the keyset position `after`. */
  async page(droneId: string, range: { from: Date; to: Date }, limit: number, after?: { ts: Date; id: string }): Promise<Array<TelemetrySampleView & { id: string }>> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT ${VIEW} FROM telemetry
       WHERE drone_id = $1 AND ts >= $2 AND ts < $3 AND ($4::timestamptz IS NULL OR (ts, id) > ($4::timestamptz, $5::bigint))
       ORDER BY ts, id LIMIT $6`,
      [droneId, range.from, range.to, after?.ts ?? null, after?.id ?? '0', limit],
    );
    return rows.map(toView);
  }

  /** Averages per equal time bucket: a long flight as at most `points` points. */
  async track(droneId: string, from: Date, to: Date, points: number): Promise<TrackPoint[]> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT width_bucket(extract(epoch FROM ts), extract(epoch FROM $2::timestamptz), extract(epoch FROM $3::timestamptz), $4) AS bucket,
              to_timestamp(avg(extract(epoch FROM ts))) AS ts, avg(lat) AS lat, avg(lon) AS lon, avg(alt_m) AS alt_m,
              avg(speed_mps) AS speed_mps, min(battery_pct) AS battery_pct, count(*)::int AS samples
       FROM telemetry WHERE drone_id = $1 AND ts >= $2 AND ts < $3
       GROUP BY bucket ORDER BY bucket`,
      [droneId, from, to, points],
    );
    return rows.map((row) => ({
      ts: (row.ts as Date).toISOString(),
      lat: Number(row.lat),
      lon: Number(row.lon),
      alt_m: row.alt_m === null ? null : Number(row.alt_m),
      speed_mps: row.speed_mps === null ? null : Number(row.speed_mps),
      battery_pct: row.battery_pct === null ? null : Number(row.battery_pct),
      samples: row.samples as number,
    }));
  }

  /** Rate and largest gap of the samples measured since `since` (the link health view). */
  async linkStats(droneId: string, since: Date): Promise<{ samples: number; maxGapMs: number | null; lastTs: Date | null; lastReceivedAt: Date | null }> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT count(*)::int AS samples, extract(epoch FROM max(gap)) * 1000 AS max_gap_ms, max(ts) AS last_ts, max(received_at) AS last_received_at
       FROM (SELECT ts, received_at, ts - lag(ts) OVER (ORDER BY ts) AS gap FROM telemetry WHERE drone_id = $1 AND ts >= $2) recent`,
      [droneId, since],
    );
    const row = rows[0];
    return {
      samples: row.samples as number,
      maxGapMs: row.max_gap_ms === null ? null : Math.round(Number(row.max_gap_ms)),
      lastTs: (row.last_ts as Date | null) ?? null,
      lastReceivedAt: (row.last_received_at as Date | null) ?? null,
    };
  }
}

function toView(row: Record<string, unknown>): TelemetrySampleView & { id: string } {
  const num = (value: unknown) => (value === null ? null : Number(value));
  return {
    id: row.id as string,
    drone_id: row.drone_id as string,
    ts: (row.ts as Date).toISOString(),
    received_at: (row.received_at as Date).toISOString(),
    stream_ms: num(row.stream_ms),
    stream_clock: row.stream_clock as 'drone' | 'server' | null,
    lat: Number(row.lat),
    lon: Number(row.lon),
    alt_m: num(row.alt_m),
    speed_mps: num(row.speed_mps),
    heading_deg: num(row.heading_deg),
    battery_pct: num(row.battery_pct),
    signal_dbm: num(row.signal_dbm),
  };
}

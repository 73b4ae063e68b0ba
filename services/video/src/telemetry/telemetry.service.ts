import { BadRequestException, ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { AuthUser } from '@fleet/auth';
import { CursorPage, TelemetrySampleView } from '@fleet/contracts';
import { decodeCursor, toCursorPage } from '@fleet/database';
import { REDIS } from '@fleet/redis';
import { Drone } from '../drones/drone.types';
import { DronesService } from '../drones/drones.service';
import { streamMsAt } from '../ingest/stream-meter';
import { FeedHub } from '../realtime/feed-hub';
import { LiveRegistry } from '../streams/live-registry';
import { TelemetryQueryDto, TelemetrySampleDto, TrackQueryDto } from './telemetry.dto';
import { TelemetryRepository, TelemetryRow } from './telemetry.repository';
import { LinkHealthView, TelemetryAcceptedView, TrackView } from './telemetry.view';
import { TelemetryWriter } from './telemetry-writer';
import { videoMetrics } from '../video.metrics';

const LATEST_KEY = (droneId: string) => `video:telemetry:latest:${droneId}`;
/** Keeps the newer of the stored and the given sample (ISO timestamps of one format sort as text). */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current).ts >= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1`;
const DEFAULT_PAGE = 100;
const DEFAULT_TRACK_POINTS = 500;
const HEALTH_WINDOW_MS = 60_000;

/** Telemetry in (validated, stored, mapped onto the stream clock, fanned out) and out (history). */
@Injectable()
export class TelemetryService {
  private readonly logger = new Logger(TelemetryService.name);

  constructor(
    private readonly drones: DronesService,
    private readonly repository: TelemetryRepository,
    private readonly registry: LiveRegistry,
    private readonly hub: FeedHub,
    private readonly writer: TelemetryWriter,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async ingest(user: AuthUser, droneId: string, samples: TelemetrySampleDto[]): Promise<TelemetryAcceptedView> {
    const drone = await this.drones.findOrFail(droneId);
    assertIsDrone(user, drone);
    const receivedAt = new Date();
    const clock = (await this.registry.get(droneId))?.clock;
    const views = toViews(drone.id, samples, receivedAt, clock ? { streamMs: clock.stream_ms, atMs: Date.parse(clock.at) } : null);
    await this.writer.write(views.map(toRow));
    videoMetrics.telemetrySamples.inc(views.length);
    const latest = views.reduce((a, b) => (b.ts > a.ts ? b : a));
    // The database has the samples; the latest state and the live feed are best effort.
    await this.redis.eval(SET_IF_NEWER, 1, LATEST_KEY(droneId), JSON.stringify(latest), latest.ts).catch((error: Error) => {
      this.logger.warn(`cannot store the latest telemetry of ${droneId} in Redis: ${error.message}`);
    });
    await this.hub.publish({ drone_id: droneId, droppable: true, frames: views.map((sample) => ({ type: 'telemetry' as const, drone_id: droneId, sample })) });
    return { accepted: views.length, latest };
  }

  async latest(droneId: string): Promise<TelemetrySampleView | null> {
    await this.drones.findOrFail(droneId);
    const raw = await this.redis.get(LATEST_KEY(droneId));
    return raw ? (JSON.parse(raw) as TelemetrySampleView) : null;
  }

  /** Keyset pages in time order; `next_cursor` is null on the last page. */
  async history(droneId: string, query: TelemetryQueryDto): Promise<CursorPage<TelemetrySampleView>> {
    await this.drones.findOrFail(droneId);
    const range = rangeOf(query.from, query.to, 24 * 3600_000);
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.repository.page(droneId, range, limit + 1, query.cursor ? cursorKey(query.cursor) : undefined);
    return toCursorPage(rows, limit, (row) => [row.ts, row.id], ({ id: _id, ...sample }) => sample);
  }

  async track(droneId: string, query: TrackQueryDto): Promise<TrackView> {
    await this.drones.findOrFail(droneId);
    const range = rangeOf(query.from, query.to, 0);
    const buckets = query.points ?? DEFAULT_TRACK_POINTS;
    const points = await this.repository.track(droneId, range.from, range.to, buckets);
    return { from: range.from.toISOString(), to: range.to.toISOString(), bucket_ms: Math.ceil((range.to.getTime() - range.from.getTime()) / buckets), points };
  }

  /** Per-drone link health: video from the live registry, telemetry rate and gaps from the last minute. */
  async linkHealth(droneId: string): Promise<LinkHealthView> {
    await this.drones.findOrFail(droneId);
    const now = Date.now();
    const [live, stats] = await Promise.all([this.registry.get(droneId), this.repository.linkStats(droneId, new Date(now - HEALTH_WINDOW_MS))]);
    const lastVideo = live?.clock ? Date.parse(live.clock.at) : null;
    const lastTelemetry = stats.lastReceivedAt?.getTime() ?? null;
    const lastSeen = Math.max(lastVideo ?? 0, lastTelemetry ?? 0);
    return {
      drone_id: droneId,
      video: live
        ? { live: true, fps: live.video.fps, bitrate_in_kbps: live.bitrate_in_kbps, viewers: live.viewers, last_frame_at: live.clock?.at ?? null }
        : { live: false },
      telemetry: {
        window_s: HEALTH_WINDOW_MS / 1000,
        samples: stats.samples,
        rate_hz: Math.round((stats.samples / (HEALTH_WINDOW_MS / 1000)) * 100) / 100,
        max_gap_ms: stats.maxGapMs,
        last_sample_at: stats.lastTs?.toISOString() ?? null,
        last_received_at: stats.lastReceivedAt?.toISOString() ?? null,
      },
      last_seen: lastSeen > 0 ? new Date(lastSeen).toISOString() : null,
      last_seen_ago_s: lastSeen > 0 ? Math.round((now - lastSeen) / 100) / 10 : null,
    };
  }
}

/** A drone token may post only for the drone registered with its Keycloak client. */
function assertIsDrone(user: AuthUser, drone: Drone): void {
  if (drone.retiredAt) throw new ForbiddenException(`Drone ${drone.id} is retired`);
  const client = drone.keycloakClientId;
  if (user.clientId !== client && user.username !== `service-account-${client}`) {
    throw new ForbiddenException(`This token belongs to client ${user.clientId ?? user.sub}, not to drone ${drone.id}`);
  }
}

/**
 * The stream clock of each sample: the drone's own `stream_ms` when sent; otherwise the receive
 * time mapped onto the live stream's clock, with a batch's samples spread back from it by their
 * own timestamps (the newest sample is "now"). Null when the drone is not live.
 */
function toViews(droneId: string, samples: TelemetrySampleDto[], receivedAt: Date, clock: { streamMs: number; atMs: number } | null): TelemetrySampleView[] {
  const newest = Math.max(...samples.map((sample) => Date.parse(sample.ts)));
  return samples.map((sample) => {
    const ts = Date.parse(sample.ts);
    const mapped = sample.stream_ms === undefined ? streamMsAt(clock, receivedAt.getTime() - (newest - ts)) : null;
    return {
      drone_id: droneId,
      ts: new Date(ts).toISOString(),
      received_at: receivedAt.toISOString(),
      stream_ms: sample.stream_ms ?? mapped,
      stream_clock: sample.stream_ms !== undefined ? 'drone' : mapped !== null ? 'server' : null,
      lat: sample.lat,
      lon: sample.lon,
      alt_m: sample.alt_m ?? null,
      speed_mps: sample.speed_mps ?? null,
      heading_deg: sample.heading_deg ?? null,
      battery_pct: sample.battery_pct ?? null,
      signal_dbm: sample.signal_dbm ?? null,
    };
  });
}

function toRow(view: TelemetrySampleView): TelemetryRow {
  return {
    droneId: view.drone_id,
    ts: new Date(view.ts),
    receivedAt: new Date(view.received_at),
    streamMs: view.stream_ms,
    streamClock: view.stream_clock,
    lat: view.lat,
    lon: view.lon,
    altM: view.alt_m,
    speedMps: view.speed_mps,
    headingDeg: view.heading_deg,
    batteryPct: view.battery_pct,
    signalDbm: view.signal_dbm,
  };
}

function rangeOf(from: string | undefined, to: string | undefined, defaultSpanMs: number): { from: Date; to: Date } {
  const end = to ? new Date(to) : new Date(Date.now() + 1);
  const start = from ? new Date(from) : new Date(end.getTime() - defaultSpanMs);
  if (!(start < end)) throw new BadRequestException('from must be before to');
  return { from: start, to: end };
}

function cursorKey(cursor: string): { ts: Date; id: string } {
  const [ts, id] = decodeCursor(cursor, 2) ?? [];
  if (!ts || !/^\d{1,19}$/.test(id ?? '') || Number.isNaN(Date.parse(ts))) throw new BadRequestException('cursor is not one this API gave out');
  return { ts: new Date(ts), id };
}

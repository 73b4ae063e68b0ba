import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { FleetConfig } from '@fleet/config';
import { HealthService } from '@fleet/health';

/**
 * The fleet's roll call: every instance of every service reports itself and its dependencies'
 * health to Redis every few seconds, so the console can show each instance (nginx only ever shows
 * one of them). Redis holds a hash of the last reports and a sorted set of when each arrived.
 */
const REPORTS_KEY = 'fleet:instances';
const SEEN_KEY = 'fleet:instances:seen';

/** How often an instance reports. */
export const INSTANCE_REPORT_INTERVAL_MS = 5_000;
/** Silent this long: shown as `silent` (crashed, frozen, or cut off from Redis). */
export const INSTANCE_SILENT_AFTER_MS = 3 * INSTANCE_REPORT_INTERVAL_MS;
/** Silent this long: forgotten (an instance that was scaled away). */
export const INSTANCE_FORGOTTEN_AFTER_MS = 10 * 60_000;

export interface InstanceReport {
  service: string;
  instance: string;
  pid: number;
  started_at: string;
  reported_at: string;
  status: 'healthy' | 'unhealthy';
  /** Each dependency's state, as the instance's /health reports it. */
  dependencies: Record<string, 'up' | 'down'>;
  errors?: Record<string, string>;
  rss_bytes: number;
}

export interface InstanceRosterEntry extends InstanceReport {
  /** `reporting`, or `silent` when no report arrived for INSTANCE_SILENT_AFTER_MS. */
  state: 'reporting' | 'silent';
  last_report_age_ms: number;
}

export const INSTANCE_BEACON_CONFIG = Symbol('INSTANCE_BEACON_CONFIG');

export interface InstanceBeaconConfig {
  config: FleetConfig;
  service: string;
}

/**
 * Reports this instance every INSTANCE_REPORT_INTERVAL_MS on a connection of its own, and takes
 * its entry out on a clean shutdown. A failed report is only logged: the roll call must never
 * disturb the service it describes.
 */
@Injectable()
export class InstanceBeacon implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InstanceBeacon.name);
  private readonly startedAt = new Date().toISOString();
  private redis?: Redis;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(INSTANCE_BEACON_CONFIG) private readonly options: InstanceBeaconConfig,
    private readonly health: HealthService,
  ) {}

  onApplicationBootstrap(): void {
    this.redis = new Redis(this.options.config.redis.url, {
      connectionName: `beacon-${this.options.config.instanceId}`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    this.redis.on('error', (error: Error) => this.logger.debug(`roll call: ${error.message}`));
    const report = () => void this.report().catch((error: Error) => this.logger.debug(`roll call report failed: ${error.message}`));
    this.timer = setInterval(report, INSTANCE_REPORT_INTERVAL_MS);
    this.timer.unref();
    report();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const redis = this.redis;
    this.redis = undefined;
    if (!redis) return;
    await redis.multi().hdel(REPORTS_KEY, this.options.config.instanceId).zrem(SEEN_KEY, this.options.config.instanceId).exec().catch(() => undefined);
    redis.disconnect();
  }

  private async report(): Promise<void> {
    const redis = this.redis;
    if (!redis || redis.status !== 'ready') return;
    const health = await this.health.check();
    const now = Date.now();
    const report: InstanceReport = {
      service: this.options.service,
      instance: this.options.config.instanceId,
      pid: process.pid,
      started_at: this.startedAt,
      reported_at: new Date(now).toISOString(),
      status: health.status,
      dependencies: health.services,
      ...(health.errors ? { errors: health.errors } : {}),
      rss_bytes: process.memoryUsage.rss(),
    };
    await redis.multi().hset(REPORTS_KEY, report.instance, JSON.stringify(report)).zadd(SEEN_KEY, now, report.instance).exec();
  }
}

/** Every instance that reported in the last INSTANCE_FORGOTTEN_AFTER_MS, by service then instance; forgets older ones. */
export async function readInstanceRoster(redis: Redis, now = Date.now()): Promise<InstanceRosterEntry[]> {
  const forgotten = await redis.zrangebyscore(SEEN_KEY, '-inf', now - INSTANCE_FORGOTTEN_AFTER_MS);
  if (forgotten.length) await redis.multi().hdel(REPORTS_KEY, ...forgotten).zrem(SEEN_KEY, ...forgotten).exec();
  const raw = await redis.hgetall(REPORTS_KEY);
  return Object.values(raw)
    .map((text) => JSON.parse(text) as InstanceReport)
    .map((report) => {
      const age = Math.max(0, now - Date.parse(report.reported_at));
      return { ...report, state: age > INSTANCE_SILENT_AFTER_MS ? ('silent' as const) : ('reporting' as const), last_report_age_ms: age };
    })
    .sort((a, b) => a.service.localeCompare(b.service) || a.instance.localeCompare(b.instance, undefined, { numeric: true }));
}

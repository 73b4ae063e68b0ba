import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { ObjectStore } from '@fleet/storage';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { ANNOTATED, INCOMING } from './media-paths';
import { VISION_STORE } from './vision-store';

/** Uploads older than this are leftovers of a process that died mid-request. */
const INCOMING_MAX_AGE_MS = 6 * 3600_000;
const SWEEP_EVERY_MS = 3600_000;

/**
 * Keeps the shared storage bounded: annotated images live as long as the cached results that
 * point at them (at least a day), and uploads orphaned by a crash are removed. Every HTTP
 * instance sweeps (at start, then hourly); deleting a file twice is harmless. On a bucket a
 * lifecycle rule can do the same (expire incoming/ after a day, annotated/ after the cache TTL).
 */
@Injectable()
export class MediaJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MediaJanitor.name);
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
    @Inject(VISION_STORE) private readonly store: ObjectStore,
  ) {}

  /** The first sweep finishes before the instance serves, so a restart starts from a clean storage. */
  async onApplicationBootstrap(): Promise<void> {
    await this.sweep().catch((error: Error) => this.logger.warn(`Media sweep failed: ${error.message}`));
    this.timer = setInterval(() => void this.sweep().catch((error: Error) => this.logger.warn(`Media sweep failed: ${error.message}`)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    const annotatedMaxAge = Math.max(this.config.vision.cacheTtlSeconds * 1000, 24 * 3600_000);
    const removed = (await this.sweepDir(INCOMING, INCOMING_MAX_AGE_MS)) + (await this.sweepDir(ANNOTATED, annotatedMaxAge));
    if (removed > 0) this.logger.log(`Removed ${removed} old file(s) from ${this.store.location}`);
    return removed;
  }

  private async sweepDir(dir: string, maxAgeMs: number): Promise<number> {
    const expired: string[] = [];
    for await (const object of this.store.list(`${dir}/`)) if (Date.now() - object.modifiedAt.getTime() > maxAgeMs) expired.push(object.key);
    let removed = 0;
    for (const key of expired) if (await this.store.delete(key).then(() => true, () => false)) removed++;
    return removed;
  }
}

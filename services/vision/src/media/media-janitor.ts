import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { ANNOTATED, INCOMING } from './media-paths';

/** Uploads older than this are leftovers of a process that died mid-request. */
const INCOMING_MAX_AGE_MS = 6 * 3600_000;
const SWEEP_EVERY_MS = 3600_000;

/**
 * Keeps the shared storage bounded: annotated images live as long as the cached results that
 * point at them (at least a day), and uploads orphaned by a crash are removed. Every HTTP
 * instance sweeps (at start, then hourly); deleting a file twice is harmless.
 */
@Injectable()
export class MediaJanitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MediaJanitor.name);
  private timer?: NodeJS.Timeout;

  constructor(@Inject(VISION_CONFIG) private readonly config: VisionConfig) {}

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
    if (removed > 0) this.logger.log(`Removed ${removed} old file(s) from ${this.config.vision.mediaDir}`);
    return removed;
  }

  private async sweepDir(dir: string, maxAgeMs: number): Promise<number> {
    const full = path.join(this.config.vision.mediaDir, dir);
    const names = await readdir(full).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const file = path.join(full, name);
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile() && Date.now() - info.mtimeMs > maxAgeMs && (await unlink(file).then(() => true, () => false))) removed++;
    }
    return removed;
  }
}

import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { Logger } from '@nestjs/common';
import type { DetectImageResult } from '@fleet/contracts';

export type CachedDetection = Omit<DetectImageResult, 'cached' | 'worker' | 'worker_ms' | 'stages_ms'>;

/**
 * Results in Redis, keyed by what determines them: the image's sha256, the model version and every
 * parameter (request confidence, IoU, max detections, per-class thresholds, annotate). A Redis
 * outage only costs the cache: detection goes on without it.
 */
export class DetectionCache {
  private readonly logger = new Logger(DetectionCache.name);

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  static key(sha256: string, modelVersion: string, params: Record<string, unknown>): string {
    const paramsHash = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
    return `vision:detect:${modelVersion}:${sha256}:${paramsHash}`;
  }

  async get(key: string): Promise<CachedDetection | undefined> {
    if (this.ttlSeconds === 0) return undefined;
    try {
      const text = await this.redis.get(key);
      return text ? (JSON.parse(text) as CachedDetection) : undefined;
    } catch (error) {
      this.logger.warn(`Cache read failed, detecting without it: ${(error as Error).message}`);
      return undefined;
    }
  }

  async set(key: string, value: CachedDetection): Promise<void> {
    if (this.ttlSeconds === 0) return;
    await this.redis.set(key, JSON.stringify(value), 'EX', this.ttlSeconds).catch((error: Error) => this.logger.warn(`Cache write failed: ${error.message}`));
  }
}

import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

/**
 * A worker's answer names its annotated image before the image is stored (it draws after
 * answering). Until then the name is announced here, so `GET /media/{name}` can tell "not stored
 * yet, wait" from "no such image". An announcement outlives any drawing (milliseconds) and expires
 * on its own when its worker died before storing the image. A Redis outage only costs the wait.
 */
export class PendingAnnotations {
  private readonly logger = new Logger(PendingAnnotations.name);

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = 30,
  ) {}

  private static key(name: string): string {
    return `vision:annotating:${name}`;
  }

  async announce(name: string): Promise<void> {
    await this.redis.set(PendingAnnotations.key(name), '1', 'EX', this.ttlSeconds).catch((error: Error) => this.logger.warn(`Cannot announce ${name}: ${error.message}`));
  }

  async settle(name: string): Promise<void> {
    await this.redis.del(PendingAnnotations.key(name)).catch((error: Error) => this.logger.warn(`Cannot settle ${name}: ${error.message}`));
  }

  async isPending(name: string): Promise<boolean> {
    return this.redis.exists(PendingAnnotations.key(name)).then((count) => count > 0, () => false);
  }
}

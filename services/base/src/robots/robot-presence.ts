import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '@fleet/redis';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';

const key = (robotId: string) => `base:robot:online:${robotId}`;
/** Robot ids scored by when they go offline: the index that lets a list filter on "online". */
const INDEX = 'base:robots:online';

/**
 * Which robots are online: a heartbeat sets a key that expires after the online window, so a
 * robot that stops sending drops off by itself, whichever base instance took its heartbeats.
 * A sorted set scored by expiry time mirrors the keys for listing; it is trimmed on every
 * heartbeat and read only above "now", so it never says more than the keys do.
 */
@Injectable()
export class RobotPresence {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BASE_CONFIG) private readonly config: BaseConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.robotApi.onlineTtlSeconds;
  }

  async markOnline(robotId: string): Promise<void> {
    const now = Date.now();
    await this.redis
      .multi()
      .set(key(robotId), String(now), 'EX', this.ttlSeconds)
      .zadd(INDEX, now + this.ttlSeconds * 1000, robotId)
      .zremrangebyscore(INDEX, '-inf', now)
      .exec();
  }

  async markOffline(robotId: string): Promise<void> {
    await this.redis.multi().del(key(robotId)).zrem(INDEX, robotId).exec();
  }

  async onlineOf(robotIds: string[]): Promise<Set<string>> {
    if (robotIds.length === 0) return new Set();
    const values = await this.redis.mget(robotIds.map(key));
    return new Set(robotIds.filter((_, i) => values[i] !== null));
  }

  /** Every robot online right now. */
  async onlineIds(): Promise<string[]> {
    return this.redis.zrangebyscore(INDEX, Date.now(), '+inf');
  }
}

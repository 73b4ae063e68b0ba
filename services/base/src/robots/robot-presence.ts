import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '@fleet/redis';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';

const key = (robotId: string) => `base:robot:online:${robotId}`;

/**
 * Which robots are online: a heartbeat sets a key that expires after the online window, so a
 * robot that stops sending drops off by itself, whichever base instance took its heartbeats.
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
    await this.redis.set(key(robotId), Date.now().toString(), 'EX', this.ttlSeconds);
  }

  async markOffline(robotId: string): Promise<void> {
    await this.redis.del(key(robotId));
  }

  async onlineOf(robotIds: string[]): Promise<Set<string>> {
    if (robotIds.length === 0) return new Set();
    const values = await this.redis.mget(robotIds.map(key));
    return new Set(robotIds.filter((_, i) => values[i] !== null));
  }
}

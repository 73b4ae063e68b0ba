import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '@fleet/redis';
import { LiveStreamStats } from './stream.types';

const STREAMS_KEY = 'video:streams';
/** An entry the owner has not refreshed for this long belongs to a dead ingest: not live. */
export const LIVE_STALE_MS = 5000;

/**
 * The live streams of the whole fleet, shared through one Redis hash (drone id -> stats JSON)
 * that the ingest owner refreshes every second, so any instance answers statistics, maps
 * telemetry onto a stream's clock and knows where to proxy playback.
 */
@Injectable()
export class LiveRegistry {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async put(stats: LiveStreamStats[]): Promise<void> {
    if (stats.length === 0) return;
    await this.redis.hset(STREAMS_KEY, Object.fromEntries(stats.map((s) => [s.drone_id, JSON.stringify(s)])));
  }

  async remove(droneId: string, sessionId: string): Promise<void> {
    // Only our own session's entry: a resumed or newer publish may have replaced it.
    const current = await this.get(droneId, true);
    if (current?.session_id === sessionId) await this.redis.hdel(STREAMS_KEY, droneId);
  }

  async get(droneId: string, includeStale = false): Promise<LiveStreamStats | undefined> {
    const raw = await this.redis.hget(STREAMS_KEY, droneId);
    const stats = raw ? (JSON.parse(raw) as LiveStreamStats) : undefined;
    return stats && (includeStale || isFresh(stats)) ? stats : undefined;
  }

  async getAll(): Promise<LiveStreamStats[]> {
    const all = await this.redis.hgetall(STREAMS_KEY);
    return Object.values(all)
      .map((raw) => JSON.parse(raw) as LiveStreamStats)
      .filter(isFresh);
  }
}

function isFresh(stats: LiveStreamStats): boolean {
  return Date.now() - Date.parse(stats.updated_at) < LIVE_STALE_MS;
}

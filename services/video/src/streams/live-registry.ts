import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '@fleet/redis';
import { LiveStreamStats } from './stream.types';

const STREAMS_KEY = 'video:streams';
/** HDEL in one step with the check, so no put of a newer session can slip in between. */
const REMOVE_IF_SESSION = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw and cjson.decode(raw).session_id == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;
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

  /** Removes a drone's entry only while it still describes `sessionId` (a newer publish may have replaced it). */
  async remove(droneId: string, sessionId: string): Promise<void> {
    await this.redis.eval(REMOVE_IF_SESSION, 1, STREAMS_KEY, droneId, sessionId);
  }

  /** Takes (reads and removes) every entry an instance wrote, fresh or stale: what a dead run left behind. */
  async takeOwnedBy(instance: string): Promise<LiveStreamStats[]> {
    const owned = Object.values(await this.redis.hgetall(STREAMS_KEY))
      .map((raw) => JSON.parse(raw) as LiveStreamStats)
      .filter((stats) => stats.instance === instance);
    for (const stats of owned) await this.remove(stats.drone_id, stats.session_id);
    return owned;
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

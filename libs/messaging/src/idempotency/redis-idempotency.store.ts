import type Redis from 'ioredis';
import { IdempotencyRecord, IdempotencyStore } from './idempotency.store';

// One key per message id holds either `r:<token>` (claimed, expires with the lease) or
// `d:<json>` (the result, expires with the TTL). Ownership checks run as Lua, so a holder whose
// lease lapsed cannot overwrite or delete a newer holder's claim.
const RUNNING = 'r:';
const DONE = 'd:';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const COMPLETE = `local v = redis.call('GET', KEYS[1])
if v == ARGV[1] or not v then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'fleet:idem:',
  ) {}

  async claim(key: string, token: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, RUNNING + token, 'PX', leaseMs, 'NX')) === 'OK';
  }

  async read(key: string): Promise<IdempotencyRecord> {
    const value = await this.redis.get(this.prefix + key);
    if (value === null) return { state: 'absent' };
    if (value.startsWith(DONE)) return { state: 'done', value: (JSON.parse(value.slice(DONE.length)) as { v: unknown }).v };
    return { state: 'running' };
  }

  async renew(key: string, token: string, leaseMs: number): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.prefix + key, RUNNING + token, leaseMs)) === 1;
  }

  async complete(key: string, token: string, value: unknown, ttlMs: number): Promise<boolean> {
    // Wrapped so that `undefined` survives the JSON round trip.
    const stored = DONE + JSON.stringify({ v: value });
    return (await this.redis.eval(COMPLETE, 1, this.prefix + key, RUNNING + token, stored, ttlMs)) === 1;
  }

  async release(key: string, token: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + key, RUNNING + token);
  }
}

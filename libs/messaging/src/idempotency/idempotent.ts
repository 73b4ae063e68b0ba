import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '../errors/rpc-error';
import { IdempotencyStore } from './idempotency.store';

export interface IdempotencyOptions {
  /** How long a result is remembered; redeliveries and caller retries must come within it. Default 24 h. */
  ttlMs?: number;
  /** How long a claim lasts without renewal; renewed every third of it while the work runs. Default 10 s. */
  leaseMs?: number;
  /** How long a duplicate waits for the holder's result before giving up with Conflict. Default 30 s. */
  waitMs?: number;
  pollMs?: number;
}

const logger = new Logger('Idempotency');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `work` once per `key` (use the message id: `messageIdOf(ctx)`), and gives every other
 * delivery of the same key the stored result; a concurrent duplicate waits for it.
 *
 * The guarantee, honestly: the *result* is computed once and replayed, provided that
 * - the key is still remembered (within `ttlMs`, and the store did not lose it: a Redis without
 *   persistence forgets everything on restart);
 * - the holder keeps its lease. The lease is renewed while the process lives, so it lapses only if
 *   the process dies, stalls its event loop longer than `leaseMs`, or loses the store; then another
 *   delivery may run the work concurrently or again.
 * Side effects are NOT atomic with storing the result: a worker that dies after its side effects
 * but before `complete` leaves no result, and the redelivery runs the work again. Work whose side
 * effects must happen exactly once has to make them idempotent itself (a unique key in the same
 * database transaction), with this helper as the fast path that answers duplicates.
 */
export async function idempotent<T>(store: IdempotencyStore, key: string, work: () => Promise<T>, options: IdempotencyOptions = {}): Promise<T> {
  const { ttlMs = 86_400_000, leaseMs = 10_000, waitMs = 30_000, pollMs = 50 } = options;
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    const token = randomUUID();
    if (await store.claim(key, token, leaseMs)) return runClaimed(store, key, token, work, ttlMs, leaseMs);
    const record = await store.read(key);
    if (record.state === 'done') return record.value as T;
    if (Date.now() > giveUpAt) throw new RpcError(RpcErrorCode.Conflict, `Message ${key} is still being processed elsewhere`);
    await sleep(pollMs);
  }
}

async function runClaimed<T>(store: IdempotencyStore, key: string, token: string, work: () => Promise<T>, ttlMs: number, leaseMs: number): Promise<T> {
  const renewal = setInterval(() => {
    store.renew(key, token, leaseMs).catch((error: Error) => logger.warn(`Could not renew the lease on ${key}: ${error.message}`));
  }, Math.max(leaseMs / 3, 10));
  try {
    const value = await work();
    // The work is done: failing to remember it must not fail (and so re-run) it.
    const stored = await store.complete(key, token, value, ttlMs).catch((error: Error) => {
      logger.warn(`Could not store the result of ${key}: ${error.message}`);
      return true;
    });
    if (!stored) logger.warn(`Lost the lease on ${key} while working; another delivery may have run it too`);
    return value;
  } catch (error) {
    await store.release(key, token).catch(() => undefined);
    throw error;
  } finally {
    clearInterval(renewal);
  }
}

/** What is known about a key: its stored result, someone holding it, or nothing. */
export type IdempotencyRecord = { state: 'done'; value: unknown } | { state: 'running' } | { state: 'absent' };

/** Storage for {@link idempotent}; every method is atomic per key. */
export interface IdempotencyStore {
  /** Takes the key for `leaseMs` if nobody holds it and it has no result. */
  claim(key: string, token: string, leaseMs: number): Promise<boolean>;
  read(key: string): Promise<IdempotencyRecord>;
  /** Extends the lease while `token` still holds the key. */
  renew(key: string, token: string, leaseMs: number): Promise<boolean>;
  /** Stores the result for `ttlMs`, unless another holder has taken the key over meanwhile. */
  complete(key: string, token: string, value: unknown, ttlMs: number): Promise<boolean>;
  /** Gives the key up after a failure, so that a redelivery can do the work. */
  release(key: string, token: string): Promise<void>;
}

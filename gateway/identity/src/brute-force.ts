import type { Pool } from 'pg';

export interface BruteForceOptions {
  /** Consecutive failures that lock the account. */
  maxFailures: number;
  lockoutSeconds: number;
}

export type LockState = { locked: false } | { locked: true; retryAfterSeconds: number };

/**
 * Keycloak's brute-force detection, simplified: `maxFailures` consecutive failed sign-ins (login
 * page or password grant) lock the username for `lockoutSeconds`; a success resets the count.
 * Counted in Postgres, so every instance and a restart see the same state. `now` is injectable
 * so tests need no sleeping.
 */
export class BruteForceGuard {
  constructor(
    private readonly pool: Pool,
    private readonly options: BruteForceOptions,
    private readonly now: () => number = Date.now,
  ) {}

  async check(username: string): Promise<LockState> {
    const { rows } = await this.pool.query<{ locked_until: Date | null }>(
      'SELECT locked_until FROM login_failure WHERE username = $1', [username.toLowerCase()]);
    const until = rows[0]?.locked_until?.getTime();
    const now = this.now();
    if (until !== undefined && until > now) return { locked: true, retryAfterSeconds: Math.ceil((until - now) / 1000) };
    return { locked: false };
  }

  /** Counts a failure; answers the state after it (locked when this one reached the limit). */
  async recordFailure(username: string): Promise<LockState> {
    const now = new Date(this.now());
    const lockUntil = new Date(now.getTime() + this.options.lockoutSeconds * 1000);
    // A failure after a lock expired starts a new count.
    const { rows } = await this.pool.query<{ failures: number; locked_until: Date | null }>(
      `INSERT INTO login_failure AS f (username, failures, last_failure_at) VALUES ($1, 1, $2)
       ON CONFLICT (username) DO UPDATE SET
         failures = CASE WHEN f.locked_until IS NOT NULL AND f.locked_until <= $2 THEN 1 ELSE f.failures + 1 END,
         locked_until = CASE WHEN f.locked_until IS NOT NULL AND f.locked_until <= $2 THEN NULL ELSE f.locked_until END,
         last_failure_at = $2
       RETURNING failures, locked_until`,
      [username.toLowerCase(), now]);
    if (rows[0].failures >= this.options.maxFailures) {
      await this.pool.query('UPDATE login_failure SET locked_until = $2 WHERE username = $1', [username.toLowerCase(), lockUntil]);
      return { locked: true, retryAfterSeconds: this.options.lockoutSeconds };
    }
    return { locked: false };
  }

  async recordSuccess(username: string): Promise<void> {
    await this.pool.query('DELETE FROM login_failure WHERE username = $1', [username.toLowerCase()]);
  }
}

import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { AuthUser } from './auth-user';

/** Enough for every robot, drone and operator of a station several times over (an entry is ~300 bytes). */
export const DEFAULT_VERIFIED_TOKENS = 10_000;

/**
 * The key of a token: its SHA-256, so the cache never holds a usable bearer token. One-shot
 * `hash()`: no Hash object per request (every authenticated request computes this).
 */
function keyOf(token: string): string {
  return hash('sha256', token, 'base64url');
}

/**
 * Principals of tokens that passed the full check, so a robot's next request with the same token
 * skips the RSA signature check (a tenth of a ticket check's CPU). Each entry lives until its
 * token's `exp`, never beyond: a hit is checked against the clock again, whatever the LRU's own
 * timer says. At most `maxEntries` are kept; the least recently used go first.
 *
 * Only accepted tokens are stored, under the hash of the exact string, so a forged, edited or
 * re-signed token (another string, another key) always takes the full check.
 *
 * Trade-off: a token accepted once stays accepted until its expiry even if the realm's signing
 * key is revoked meanwhile, i.e. for at most the realm's access token lifespan (300 s). Offline
 * verification already accepts a token whose session was revoked for that long; the cache only
 * extends the same window to a key that is withdrawn from the realm's JWKS.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, AuthUser>;

  constructor(maxEntries = DEFAULT_VERIFIED_TOKENS) {
    this.entries = new LRUCache<string, AuthUser>({ max: maxEntries });
  }

  /** The principal of `token` if it was accepted before and has not expired at `nowMs`. */
  get(token: string, nowMs = Date.now()): AuthUser | undefined {
    const key = keyOf(token);
    const user = this.entries.get(key);
    if (user === undefined) return undefined;
    if (user.exp * 1000 <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return user;
  }

  /** Remembers an accepted token until its expiry; an already expired one is not stored. */
  set(token: string, user: AuthUser, nowMs = Date.now()): void {
    const ttl = user.exp * 1000 - nowMs;
    if (ttl <= 0) return;
    this.entries.set(keyOf(token), user, { ttl });
  }

  get size(): number {
    return this.entries.size;
  }
}

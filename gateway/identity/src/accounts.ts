import type { Account } from 'oidc-provider';
import { passwordMatches, Realm, RealmUser } from './realm';
import { BruteForceGuard, LockState } from './brute-force';

export type AuthenticationResult =
  | { ok: true; user: RealmUser }
  | { ok: false; reason: 'invalid'; lock: LockState }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

/** The realm's users (from the realm file) and their sign-in, guarded by brute-force detection. */
export class UserDirectory {
  private readonly byId = new Map<string, RealmUser>();
  private readonly byName = new Map<string, RealmUser>();

  constructor(realm: Realm, private readonly guard: BruteForceGuard) {
    for (const user of realm.users) {
      this.byId.set(user.id, user);
      this.byName.set(user.username, user);
      if (user.email) this.byName.set(user.email.toLowerCase(), user);
    }
  }

  findById(id: string): RealmUser | undefined {
    return this.byId.get(id);
  }

  /**
   * Checks a username (or email) and password. A locked account is refused before its password is
   * looked at; unknown users and wrong passwords count alike (and answer alike).
   */
  async authenticate(login: string, password: string): Promise<AuthenticationResult> {
    const key = login.trim().toLowerCase();
    const user = this.byName.get(key);
    const lockKey = user?.username ?? key;
    const state = await this.guard.check(lockKey);
    if (state.locked) return { ok: false, reason: 'locked', retryAfterSeconds: state.retryAfterSeconds };
    if (!user || !user.enabled || !passwordMatches(user, password)) {
      return { ok: false, reason: 'invalid', lock: await this.guard.recordFailure(lockKey) };
    }
    await this.guard.recordSuccess(lockKey);
    return { ok: true, user };
  }
}

/** Keycloak's standard claims of a user (userinfo, ID token, access token). */
export function userClaims(user: RealmUser): Record<string, unknown> {
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
  return {
    sub: user.id,
    preferred_username: user.username,
    ...(user.email ? { email: user.email, email_verified: user.emailVerified } : {}),
    ...(name ? { name } : {}),
    ...(user.firstName ? { given_name: user.firstName } : {}),
    ...(user.lastName ? { family_name: user.lastName } : {}),
  };
}

export function toAccount(user: RealmUser): Account {
  return {
    accountId: user.id,
    claims: () => ({ sub: user.id, ...userClaims(user) }),
  };
}

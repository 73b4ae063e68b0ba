import type { Pool } from 'pg';
import { isUuid } from './clients';

interface UserRow {
  id: string;
  username: string;
  email: string | null;
  email_verified: boolean;
  enabled: boolean;
  first_name: string | null;
  last_name: string | null;
  realm_roles: string[];
  created_at: Date;
}

/** A user created through the Admin REST API (the realm file's users stay in {@link UserDirectory}). */
export interface StoredUser {
  id: string;
  username: string;
  email?: string;
  emailVerified: boolean;
  enabled: boolean;
  firstName?: string;
  lastName?: string;
  realmRoles: string[];
  createdAt: Date;
}

export interface NewUser {
  username: string;
  email?: string;
  emailVerified?: boolean;
  enabled?: boolean;
  firstName?: string;
  lastName?: string;
}

/** A username or email already taken (Keycloak's 409). */
export class UserExistsError extends Error {
  constructor(readonly field: 'username' | 'email') {
    super(`User exists with same ${field}`);
  }
}

const toUser = (row: UserRow): StoredUser => ({
  id: row.id,
  username: row.username,
  email: row.email ?? undefined,
  emailVerified: row.email_verified,
  enabled: row.enabled,
  firstName: row.first_name ?? undefined,
  lastName: row.last_name ?? undefined,
  realmRoles: row.realm_roles,
  createdAt: row.created_at,
});

/** Users created at runtime, in `identity.user_account`. */
export class UserStore {
  constructor(private readonly pool: Pool) {}

  async create(input: NewUser): Promise<StoredUser> {
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO user_account (username, email, email_verified, enabled, first_name, last_name)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [input.username.toLowerCase(), input.email?.toLowerCase() ?? null, input.emailVerified === true, input.enabled !== false,
          input.firstName ?? null, input.lastName ?? null]);
      return toUser(rows[0]);
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === '23505') throw new UserExistsError(constraint?.includes('email') ? 'email' : 'username');
      throw error;
    }
  }

  async findById(id: string): Promise<StoredUser | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM user_account WHERE id = $1', [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  }

  async list(): Promise<StoredUser[]> {
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM user_account ORDER BY username');
    return rows.map(toUser);
  }

  /** Adds realm roles to a user's mappings (already mapped ones are kept once). */
  async addRealmRoles(id: string, roles: string[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE user_account SET realm_roles = ARRAY(SELECT DISTINCT unnest(realm_roles || $2::text[]) ORDER BY 1) WHERE id = $1`, [id, roles]);
    return rowCount === 1;
  }

  async removeRealmRoles(id: string, roles: string[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE user_account SET realm_roles = ARRAY(SELECT r FROM unnest(realm_roles) r WHERE r <> ALL($2::text[])) WHERE id = $1`, [id, roles]);
    return rowCount === 1;
  }
}

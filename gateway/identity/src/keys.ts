import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

/** A private RS256 signing key as a JWK (what oidc-provider's `jwks` takes). */
export interface SigningJwk {
  kty: 'RSA';
  kid: string;
  alg: 'RS256';
  use: 'sig';
  n: string;
  e: string;
  d: string;
  p: string;
  q: string;
  dp: string;
  dq: string;
  qi: string;
}

export interface SigningKeySet {
  /** Changes whenever a key is added or retired; the server rebuilds its provider when it does. */
  generation: string;
  /** Newest first: oidc-provider signs with the first, publishes all of them. */
  keys: SigningJwk[];
}

/** How many keys stay published after a rotation (the newest signs, the others only verify). */
export const KEEP_KEYS = 3;

function newSigningJwk(): SigningJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as Omit<SigningJwk, 'kid' | 'alg' | 'use'>;
  // RFC 7638 thumbprint, as Keycloak's kids are opaque strings too.
  const kid = createHash('sha256').update(JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n })).digest('base64url');
  return { ...jwk, kty: 'RSA', kid, alg: 'RS256', use: 'sig' };
}

export async function loadSigningKeys(pool: Pool): Promise<SigningKeySet> {
  const { rows } = await pool.query<{ seq: string; private_jwk: SigningJwk }>('SELECT seq, private_jwk FROM signing_key ORDER BY seq DESC');
  return { generation: rows.map((r) => r.seq).join(','), keys: rows.map((r) => r.private_jwk) };
}

/** Cheap check whether the key set changed (one indexed query). */
export async function signingKeyGeneration(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ generation: string | null }>('SELECT string_agg(seq::text, \',\' ORDER BY seq DESC) AS generation FROM signing_key');
  return rows[0]?.generation ?? '';
}

/**
 * Adds a new signing key: new tokens are signed with it, the JWKS (certs) publishes it next to the
 * previous ones, so tokens signed before keep verifying until they expire. Keeps the newest
 * {@link KEEP_KEYS} keys. Returns the new kid.
 */
export async function rotateSigningKey(pool: Pool, keep = KEEP_KEYS): Promise<string> {
  const jwk = newSigningJwk();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['fleet.identity.signing_key']);
    await client.query('INSERT INTO signing_key (kid, private_jwk) VALUES ($1, $2)', [jwk.kid, JSON.stringify(jwk)]);
    await client.query('DELETE FROM signing_key WHERE seq NOT IN (SELECT seq FROM signing_key ORDER BY seq DESC LIMIT $1)', [Math.max(1, keep)]);
    await client.query('COMMIT');
    return jwk.kid;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Makes the first signing key when there is none (first start). */
export async function ensureSigningKey(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['fleet.identity.signing_key']);
    const { rowCount } = await client.query('SELECT 1 FROM signing_key LIMIT 1');
    if (!rowCount) {
      const jwk = newSigningJwk();
      await client.query('INSERT INTO signing_key (kid, private_jwk) VALUES ($1, $2)', [jwk.kid, JSON.stringify(jwk)]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** A named random secret kept in Postgres (cookie-signing keys), made on first use. */
export async function ensureSecret(pool: Pool, name: string): Promise<string> {
  await pool.query('INSERT INTO secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, randomBytes(32).toString('base64url')]);
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM secret WHERE name = $1', [name]);
  return rows[0].value;
}

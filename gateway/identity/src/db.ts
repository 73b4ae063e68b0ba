import { Pool } from 'pg';
import { IDENTITY_SCHEMA } from './schema';

/** A pg pool on the provider's own role, resolving unqualified names in its schema only. */
export function createIdentityPool(url: string, max = 10): Pool {
  const pool = new Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 3000,
    application_name: 'fleet-identity',
    options: `-c search_path=${IDENTITY_SCHEMA}`,
  });
  // An idle client whose connection Postgres closed (a restart, a failover) is reported here; the
  // pool drops it and opens a new one on the next query. Without a listener, node's unhandled
  // 'error' event would end the provider, and every sign-in with it.
  pool.on('error', (error) => console.error(`[identity] an idle database connection failed (${error.message}); the pool replaces it`));
  return pool;
}

import { Pool } from 'pg';
import { IDENTITY_SCHEMA } from './schema';

/** A pg pool on the provider's own role, resolving unqualified names in its schema only. */
export function createIdentityPool(url: string, max = 10): Pool {
  return new Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: 3000,
    application_name: 'fleet-identity',
    options: `-c search_path=${IDENTITY_SCHEMA}`,
  });
}

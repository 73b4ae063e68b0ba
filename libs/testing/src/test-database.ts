import { randomBytes } from 'node:crypto';
import { dropDatabase, runServiceMigrations, ServiceDataSourceOptions } from '@fleet/database';

export const TEST_ADMIN_URL = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  /** URL for the service's own role in the fresh database. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A fresh database per test file, migrated the same way production is (provision + migrate as
 * the service role), so tests see exactly the schema and rights a deployed service has.
 */
export async function createTestDatabase(
  service: string,
  role: string,
  optionsFor: (url: string) => ServiceDataSourceOptions,
): Promise<TestDatabase> {
  const name = `fleet_test_${service}_${randomBytes(4).toString('hex')}`;
  const url = `postgres://${role}:${role}@127.0.0.1:5432/${name}`;
  await runServiceMigrations({ service, adminUrl: TEST_ADMIN_URL, options: optionsFor(url) });
  return { name, url, drop: () => dropDatabase(TEST_ADMIN_URL, name) };
}

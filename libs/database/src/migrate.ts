import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ServiceDataSourceOptions } from './service-datasource';
import { provisionServiceDatabase } from './provision';

export interface MigrateServiceInput {
  service: string;
  adminUrl: string;
  options: ServiceDataSourceOptions;
}

function lockIdFor(schema: string): string {
  return `fleet.migrate.${schema}`;
}

/**
 * Runs a service's pending migrations as the service's own role (so it owns what it creates),
 * under a session advisory lock keyed by schema: concurrent replicas wait, then find nothing to do.
 */
export async function runServiceMigrations(input: MigrateServiceInput): Promise<string[]> {
  const logger = new Logger(`migrate:${input.service}`);
  const started = Date.now();
  await provisionServiceDatabase({ adminUrl: input.adminUrl, serviceUrl: input.options.url, schema: input.options.schema });
  const dataSource = new DataSource({ ...input.options, poolSize: 2 });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockIdFor(input.options.schema)]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      const names = applied.map((migration) => migration.name);
      logger.log(`${names.length} migration(s) applied in ${Date.now() - started} ms${names.length ? `: ${names.join(', ')}` : ''}`);
      return names;
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockIdFor(input.options.schema)]);
    }
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}

/**
 * The body of every service's `src/migrate.ts` (`node dist/src/migrate.js`, run by `npm run
 * migrate`, compose's one-shot and the local launcher): provisions the role and schema as
 * DATABASE_ADMIN_URL, applies what is pending, exits 1 with the reason on failure.
 */
export function runMigrateCommand(service: string, options: () => ServiceDataSourceOptions): void {
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  Promise.resolve()
    .then(() => runServiceMigrations({ service, adminUrl, options: options() }))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}

import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IsInt, IsUrl, Max, Min } from 'class-validator';
import { validateEnv } from '@fleet/config';
import { ServiceDataSourceOptions } from './service-datasource';
import { provisionServiceDatabase } from './provision';
import { ConnectRetryOptions } from './connect-retry';

export interface MigrateServiceInput {
  service: string;
  adminUrl: string;
  options: ServiceDataSourceOptions;
  /** The first connection waits this long for Postgres (compose starts the jobs with it). */
  connectRetry?: ConnectRetryOptions;
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
  await provisionServiceDatabase({
    adminUrl: input.adminUrl,
    serviceUrl: input.options.url,
    schema: input.options.schema,
    connectRetry: input.connectRetry && {
      ...input.connectRetry,
      onRetry: async (attempt, error) => {
        logger.warn(`Postgres not reachable yet (attempt ${attempt}: ${error.message}); retrying`);
        await input.connectRetry?.onRetry?.(attempt, error);
      },
    },
  });
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

/** What the migrate command reads besides its service's own config. */
export class MigrateEnv {
  /** Superuser (or CREATEROLE + CREATEDB) connection that provisions the role and schema. */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['postgres', 'postgresql'] })
  DATABASE_ADMIN_URL: string = 'postgres://postgres@127.0.0.1:5432/postgres';

  /** How long the first connection waits for Postgres to accept connections (a fresh container). */
  @IsInt() @Min(0) @Max(3600)
  DATABASE_CONNECT_RETRY_S: number = 60;
}

/**
 * The body of every service's `src/migrate.ts` (`node dist/src/migrate.js`, run by `npm run
 * migrate`, compose's one-shot and the local launcher): provisions the role and schema as
 * DATABASE_ADMIN_URL, applies what is pending, exits 1 with the reason on failure. Postgres may still be
 * starting: the first connection is retried for DATABASE_CONNECT_RETRY_S.
 */
export function runMigrateCommand(service: string, options: () => ServiceDataSourceOptions): void {
  Promise.resolve()
    .then(() => {
      const env = validateEnv(MigrateEnv);
      const connectRetry = { timeoutMs: env.DATABASE_CONNECT_RETRY_S * 1000 };
      return runServiceMigrations({ service, adminUrl: env.DATABASE_ADMIN_URL, options: options(), connectRetry });
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}

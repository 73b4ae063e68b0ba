import { runServiceMigrations } from '@fleet/database';
import { loadBaseConfig } from './config/base.config';
import { baseDataSourceOptions } from './database/base.datasource';

/** `npm run migrate -w @fleet/base`: provisions the base role and schema and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadBaseConfig();
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await runServiceMigrations({ service: 'base', adminUrl, options: baseDataSourceOptions(config.db.url) });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

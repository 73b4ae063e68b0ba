import { runServiceMigrations } from '@fleet/database';
import { loadStoreConfig } from './config/store.config';
import { storeDataSourceOptions } from './database/store.datasource';

/** `npm run migrate -w @fleet/store`: provisions the store role and schema and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadStoreConfig();
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await runServiceMigrations({ service: 'store', adminUrl, options: storeDataSourceOptions(config.db.url) });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

import { runServiceMigrations } from '@fleet/database';
import { loadVisionConfig } from './config/vision.config';
import { visionDataSourceOptions } from './database/vision.datasource';

/** `npm run migrate -w @fleet/vision`: provisions the vision role and schema and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadVisionConfig();
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await runServiceMigrations({ service: 'vision', adminUrl, options: visionDataSourceOptions(config.db.url) });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

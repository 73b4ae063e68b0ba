import { runServiceMigrations } from '@fleet/database';
import { loadVideoConfig } from './config/video.config';
import { videoDataSourceOptions } from './database/video.datasource';

/** `npm run migrate -w @fleet/video`: provisions the video role and schema and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadVideoConfig();
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await runServiceMigrations({ service: 'video', adminUrl, options: videoDataSourceOptions(config.db.url) });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

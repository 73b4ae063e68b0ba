import { runServiceMigrations } from '@fleet/database';
import { loadFaceConfig } from './config/face.config';
import { faceDataSourceOptions } from './database/face.datasource';

/** `npm run migrate -w @fleet/face`: provisions the face role and schema and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadFaceConfig();
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await runServiceMigrations({ service: 'face', adminUrl, options: faceDataSourceOptions(config.db.url) });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

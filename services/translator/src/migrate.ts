import { runServiceMigrations } from '@fleet/database';
import { loadTranslatorConfig } from './config/translator.config';
import { translatorDataSourceOptions } from './database/translator.datasource';

/** `npm run migrate -w @fleet/translator`: provisions the translator role and schema and applies pending migrations. */
async function main(): Promise<void> {
  const config = loadTranslatorConfig();
  const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await runServiceMigrations({ service: 'translator', adminUrl, options: translatorDataSourceOptions(config.db.url) });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

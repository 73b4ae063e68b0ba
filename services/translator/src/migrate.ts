import { runMigrateCommand } from '@fleet/database';
import { loadTranslatorConfig } from './config/translator.config';
import { translatorDataSourceOptions } from './database/translator.datasource';

/** `npm run migrate -w @fleet/translator`: provisions the translator role and schema and applies pending migrations. */
runMigrateCommand('translator', () => translatorDataSourceOptions(loadTranslatorConfig().db.url));

import { runMigrateCommand } from '@fleet/database';
import { loadBaseConfig } from './config/base.config';
import { baseDataSourceOptions } from './database/base.datasource';

/** `npm run migrate -w @fleet/base`: provisions the base role and schema and applies pending migrations. */
runMigrateCommand('base', () => baseDataSourceOptions(loadBaseConfig().db.url));

import { runMigrateCommand } from '@fleet/database';
import { loadStoreConfig } from './config/store.config';
import { storeDataSourceOptions } from './database/store.datasource';

/** `npm run migrate -w @fleet/store`: provisions the store role and schema and applies pending migrations. */
runMigrateCommand('store', () => storeDataSourceOptions(loadStoreConfig().db.url));

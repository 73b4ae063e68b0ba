import { runMigrateCommand } from '@fleet/database';
import { identityDataSourceOptions } from './datasource';
import { loadIdentityConfig } from './env';

/** `node dist/src/migrate.js`: provisions role `svc_identity` and schema `identity`, applies pending migrations. */
runMigrateCommand('identity', () => identityDataSourceOptions(loadIdentityConfig().databaseUrl));

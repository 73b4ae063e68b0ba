import { serviceDataSourceOptions, ServiceDataSourceOptions } from '@fleet/database';
import { IDENTITY_MIGRATIONS } from './migrations';
import { IDENTITY_SCHEMA } from './schema';

/** TypeORM options used only to run the identity schema's migrations (the provider itself talks to pg directly). */
export function identityDataSourceOptions(url: string): ServiceDataSourceOptions {
  return serviceDataSourceOptions({
    schema: IDENTITY_SCHEMA,
    url,
    entities: [],
    migrations: IDENTITY_MIGRATIONS,
    applicationName: 'fleet-identity',
  });
}

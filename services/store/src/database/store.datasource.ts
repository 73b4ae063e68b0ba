import { serviceDataSourceOptions, ServiceDataSourceOptions } from '@fleet/database';
import { STORE_ENTITIES } from './store.entities';
import { STORE_MIGRATIONS } from './migrations';
import { STORE_SCHEMA } from './store.schema';

export { STORE_SCHEMA };

export function storeDataSourceOptions(url: string): ServiceDataSourceOptions {
  return serviceDataSourceOptions({
    schema: STORE_SCHEMA,
    url,
    entities: STORE_ENTITIES,
    migrations: STORE_MIGRATIONS,
    applicationName: 'fleet-store',
  });
}

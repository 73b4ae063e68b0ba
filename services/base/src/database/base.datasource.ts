import { serviceDataSourceOptions, ServiceDataSourceOptions } from '@fleet/database';
import { BASE_ENTITIES } from './base.entities';
import { BASE_MIGRATIONS } from './migrations';
import { BASE_SCHEMA } from './base.schema';

export { BASE_SCHEMA };

export function baseDataSourceOptions(url: string): ServiceDataSourceOptions {
  return serviceDataSourceOptions({
    schema: BASE_SCHEMA,
    url,
    entities: BASE_ENTITIES,
    migrations: BASE_MIGRATIONS,
    applicationName: 'fleet-base',
  });
}

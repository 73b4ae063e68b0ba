import { serviceDataSourceOptions, ServiceDataSourceOptions } from '@fleet/database';
import { TRANSLATOR_MIGRATIONS } from './migrations';
import { TRANSLATOR_SCHEMA } from './translator.schema';

export { TRANSLATOR_SCHEMA };

/** The repositories speak SQL through the DataSource (jsonb stage lists, leases): no entities. */
export function translatorDataSourceOptions(url: string): ServiceDataSourceOptions {
  return serviceDataSourceOptions({
    schema: TRANSLATOR_SCHEMA,
    url,
    entities: [],
    migrations: TRANSLATOR_MIGRATIONS,
    applicationName: 'fleet-translator',
  });
}

import { serviceDataSourceOptions, ServiceDataSourceOptions } from '@fleet/database';
import { VIDEO_MIGRATIONS } from './migrations';
import { VIDEO_SCHEMA } from './video.schema';

export { VIDEO_SCHEMA };

/** Repositories use plain SQL through the DataSource, so the schema lists no entities. */
export function videoDataSourceOptions(url: string): ServiceDataSourceOptions {
  return serviceDataSourceOptions({
    schema: VIDEO_SCHEMA,
    url,
    entities: [],
    migrations: VIDEO_MIGRATIONS,
    applicationName: 'fleet-video',
  });
}

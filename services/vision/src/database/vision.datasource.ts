import { serviceDataSourceOptions, ServiceDataSourceOptions } from '@fleet/database';
import { VISION_ENTITIES } from './vision.entities';
import { VISION_MIGRATIONS } from './migrations';
import { VISION_SCHEMA } from './vision.schema';

export { VISION_SCHEMA };

export function visionDataSourceOptions(url: string): ServiceDataSourceOptions {
  return serviceDataSourceOptions({ schema: VISION_SCHEMA, url, entities: VISION_ENTITIES, migrations: VISION_MIGRATIONS, applicationName: 'fleet-vision' });
}

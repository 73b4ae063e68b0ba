import { serviceDataSourceOptions, ServiceDataSourceOptions } from '@fleet/database';
import { FACE_ENTITIES } from './face.entities';
import { FACE_MIGRATIONS } from './migrations';
import { FACE_SCHEMA } from './face.schema';

export { FACE_SCHEMA };

export function faceDataSourceOptions(url: string): ServiceDataSourceOptions {
  return serviceDataSourceOptions({ schema: FACE_SCHEMA, url, entities: FACE_ENTITIES, migrations: FACE_MIGRATIONS, applicationName: 'fleet-face' });
}

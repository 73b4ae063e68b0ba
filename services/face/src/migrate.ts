import { runMigrateCommand } from '@fleet/database';
import { loadFaceConfig } from './config/face.config';
import { faceDataSourceOptions } from './database/face.datasource';

/** `npm run migrate -w @fleet/face`: provisions the face role and schema and applies pending migrations. */
runMigrateCommand('face', () => faceDataSourceOptions(loadFaceConfig().db.url));

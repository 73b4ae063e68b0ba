import { runMigrateCommand } from '@fleet/database';
import { loadVisionConfig } from './config/vision.config';
import { visionDataSourceOptions } from './database/vision.datasource';

/** `npm run migrate -w @fleet/vision`: provisions the vision role and schema and applies pending migrations. */
runMigrateCommand('vision', () => visionDataSourceOptions(loadVisionConfig().db.url));

import { runMigrateCommand } from '@fleet/database';
import { loadVideoConfig } from './config/video.config';
import { videoDataSourceOptions } from './database/video.datasource';

/** `npm run migrate -w @fleet/video`: provisions the video role and schema and applies pending migrations. */
runMigrateCommand('video', () => videoDataSourceOptions(loadVideoConfig().db.url));

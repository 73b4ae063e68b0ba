import { bootstrapService } from '@fleet/platform';
import { AppModule } from './app.module';
import { loadVideoConfig } from './config/video.config';
import { setupVideoDocs } from './docs';

void bootstrapService({
  service: 'video',
  config: loadVideoConfig,
  module: (config) => AppModule.forRoot(config),
  docs: setupVideoDocs,
  describe: (config) => (config.ingest.enabled ? `, RTMP ingest on ${config.ingest.port}` : ''),
});

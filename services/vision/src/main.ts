import { bootstrapService } from '@fleet/platform';
import { AppModule } from './app.module';
import { loadVisionConfig } from './config/vision.config';
import { setupVisionDocs } from './docs';
import { ensureMediaDirs } from './media/media-paths';

void bootstrapService({
  service: 'vision',
  config: loadVisionConfig,
  module: (config) => {
    ensureMediaDirs(config.vision.mediaDir);
    return AppModule.forRoot(config);
  },
  docs: setupVisionDocs,
});

import { bootstrapService } from '@fleet/platform';
import { describeStorage } from '@fleet/storage';
import { AppModule } from './app.module';
import { loadVisionConfig } from './config/vision.config';
import { setupVisionDocs } from './docs';

void bootstrapService({
  service: 'vision',
  config: loadVisionConfig,
  module: (config) => AppModule.forRoot(config),
  docs: setupVisionDocs,
  describe: (config) => ` (media ${describeStorage(config.vision.storage, config.vision.mediaDir)})`,
});

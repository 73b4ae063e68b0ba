import { bootstrapService } from '@fleet/platform';
import { AppModule } from './app.module';
import { loadFaceConfig } from './config/face.config';
import { createFacePipeline } from './face/face-runtime';

void bootstrapService({
  service: 'face',
  config: loadFaceConfig,
  // The models load before the module is built, so a missing or wrong model fails the boot.
  module: async (config, logger) => {
    const pipeline = await createFacePipeline(config);
    logger.log(`face models loaded (embedding ${pipeline.modelVersion})`, 'Bootstrap');
    return AppModule.forRoot(config, pipeline);
  },
  httpApi: false,
  describe: () => ' (health and metrics only)',
});

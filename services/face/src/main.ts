import sharp from 'sharp';
import { bootstrapService } from '@fleet/platform';
import { AppModule } from './app.module';
import { loadFaceConfig } from './config/face.config';
import { createFacePipeline } from './face/face-runtime';

// One libvips thread per decode: a face instance is one per core and its cores are already busy
// with the models, ChromaDB and the broker; a second thread per decode only adds hand-offs and a
// malloc arena. The operation cache stays (libvips keeps ~2 MB; measured in the soak, issue 16).
sharp.concurrency(1);

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

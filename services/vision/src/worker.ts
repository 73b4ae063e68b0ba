import sharp from 'sharp';
import { bootstrapService } from '@fleet/platform';
import { loadVisionConfig } from './config/vision.config';
import { WorkerModule } from './worker.module';

// libvips' operation cache keeps decoded photos around for reuse that never comes here (every
// image is new); without it a worker's memory follows the images in flight, not history.
sharp.cache(false);
// One libvips thread per operation: the worker already runs VISION_WORKER_CONCURRENCY images at
// once, and every extra thread keeps its own malloc arena (the bulk of a worker's resident set).
sharp.concurrency(1);

/** A vision worker process: `node dist/src/worker.js` (the launcher's `vision-worker` pool). */
void bootstrapService({ service: 'vision-worker', config: loadVisionConfig, module: (config) => WorkerModule.forRoot(config), httpApi: false });

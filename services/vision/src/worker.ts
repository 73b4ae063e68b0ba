import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import sharp from 'sharp';
import { createLogger, JsonLogger } from '@fleet/logging';
import { startRpcServer } from '@fleet/messaging';
import { loadVisionConfig } from './config/vision.config';
import { WorkerModule } from './worker.module';

/** A vision worker process: `node dist/src/worker.js` (the launcher's `vision-worker` pool). */
async function bootstrap(): Promise<void> {
  // libvips' operation cache keeps decoded photos around for reuse that never comes here (every
  // image is new); without it a worker's memory follows the images in flight, not history.
  sharp.cache(false);
  // One libvips thread per operation: the worker already runs VISION_WORKER_CONCURRENCY images at
  // once, and every extra thread keeps its own malloc arena (the bulk of a worker's resident set).
  sharp.concurrency(1);
  const config = loadVisionConfig();
  const logger = new JsonLogger(createLogger({ service: 'vision-worker', instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  const app = await NestFactory.create(WorkerModule.forRoot(config), { logger, bufferLogs: true });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.enableShutdownHooks();
  await startRpcServer(app);
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`vision worker ${config.instanceId} listening on ${config.http.port}`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger, JsonLogger } from '@fleet/logging';
import { startRpcServer } from '@fleet/messaging';
import { loadTranslatorConfig } from './config/translator.config';
import { WorkerModule } from './worker/worker.module';

/** A translator worker process: serves the pipeline stages over RabbitMQ, and /health on PORT. */
async function bootstrap(): Promise<void> {
  const config = loadTranslatorConfig();
  const logger = new JsonLogger(createLogger({ service: 'translator-worker', instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  const app = await NestFactory.create(WorkerModule.forRoot(config), { logger, bufferLogs: true });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.enableShutdownHooks();
  await startRpcServer(app);
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`translator worker ${config.instanceId} listening on ${config.http.port} (stages: ${config.workerConcurrency} at once)`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});

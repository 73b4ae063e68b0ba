import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createLogger, JsonLogger } from '@fleet/logging';
import { startRpcServer } from '@fleet/messaging';
import { AppModule } from './app.module';
import { loadFaceConfig } from './config/face.config';
import { createFacePipeline } from './face/face-runtime';

async function bootstrap(): Promise<void> {
  const config = loadFaceConfig();
  const logger = new JsonLogger(createLogger({ service: 'face', instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  const pipeline = await createFacePipeline(config);
  logger.log(`face models loaded (embedding ${pipeline.modelVersion})`, 'Bootstrap');
  const app = await NestFactory.create(AppModule.forRoot(config, pipeline), { logger, bufferLogs: true });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.enableShutdownHooks();
  await startRpcServer(app);
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`face ${config.instanceId} listening on ${config.http.port} (health and metrics only)`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});

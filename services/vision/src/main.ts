import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, JsonLogger } from '@fleet/logging';
import { RpcErrorHttpFilter, startRpcServer } from '@fleet/messaging';
import { AppModule } from './app.module';
import { loadVisionConfig } from './config/vision.config';
import { ensureMediaDirs } from './media/media-paths';

async function bootstrap(): Promise<void> {
  const config = loadVisionConfig();
  const logger = new JsonLogger(createLogger({ service: 'vision', instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  ensureMediaDirs(config.vision.mediaDir);
  const app = await NestFactory.create(AppModule.forRoot(config), { logger, bufferLogs: true });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new RpcErrorHttpFilter());
  app.enableShutdownHooks();
  await startRpcServer(app);
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`vision ${config.instanceId} listening on ${config.http.port}`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});

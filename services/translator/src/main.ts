import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, JsonLogger } from '@fleet/logging';
import { RpcErrorHttpFilter } from '@fleet/messaging';
import { AppModule } from './app.module';
import { loadTranslatorConfig } from './config/translator.config';

async function bootstrap(): Promise<void> {
  const config = loadTranslatorConfig();
  const logger = new JsonLogger(createLogger({ service: 'translator', instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  const app = await NestFactory.create(AppModule.forRoot(config), { logger, bufferLogs: true });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new RpcErrorHttpFilter());
  app.enableShutdownHooks();
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`translator ${config.instanceId} listening on ${config.http.port} (storage ${config.storageDir})`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});

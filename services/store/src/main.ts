import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, JsonLogger } from '@fleet/logging';
import { RpcErrorHttpFilter, startRpcServer } from '@fleet/messaging';
import { AppModule } from './app.module';
import { loadStoreConfig } from './config/store.config';
import { setupStoreDocs } from './docs';

async function bootstrap(): Promise<void> {
  const config = loadStoreConfig();
  const logger = new JsonLogger(createLogger({ service: 'store', instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  const app = await NestFactory.create(AppModule.forRoot(config), { logger, bufferLogs: true });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new RpcErrorHttpFilter());
  app.enableShutdownHooks();
  setupStoreDocs(app);
  await startRpcServer(app);
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`store ${config.instanceId} listening on ${config.http.port}`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});

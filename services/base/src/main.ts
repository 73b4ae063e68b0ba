import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { createLogger, JsonLogger } from '@fleet/logging';
import { RpcErrorHttpFilter, startRpcServer } from '@fleet/messaging';
import { AppModule } from './app.module';
import { loadBaseConfig } from './config/base.config';
import { chatMessageParser } from './chat/chat-frame.parser';

async function bootstrap(): Promise<void> {
  const config = loadBaseConfig();
  const logger = new JsonLogger(createLogger({ service: 'base', instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { logger, bufferLogs: true });
  // Ticket imports post up to 10,000 tickets as JSON (about 2.5 MB); nginx bounds /base_api bodies at 10 MB.
  app.useBodyParser('json', { limit: '8mb' });
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  app.useWebSocketAdapter(new WsAdapter(app, { messageParser: chatMessageParser }));
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new RpcErrorHttpFilter());
  app.enableShutdownHooks();
  await startRpcServer(app);
  await app.listen(config.http.port, '0.0.0.0');
  logger.log(`base ${config.instanceId} listening on ${config.http.port}`, 'Bootstrap');
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});

import type { Server } from 'node:http';
import { DynamicModule, INestApplication, LoggerService, WebSocketAdapter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express } from 'express';
import type { FleetConfig } from '@fleet/config';
import { createLogger, JsonLogger } from '@fleet/logging';
import { startRpcServer } from '@fleet/messaging';
import { ApiExceptionFilter, apiValidationPipe } from '@fleet/openapi';
import { FLEET_SERVICE, FleetServiceInfo } from './fleet-service.module';

export interface BootstrapServiceOptions<C extends FleetConfig> {
  /** The process's name in logs (`vision-worker`). */
  service: string;
  /** Loads and validates the environment; called inside the bootstrap, so a bad env exits 1 with its message. */
  config: () => C;
  /** The root module; may load what the module needs first (face's models), logging through `logger`. */
  module: (config: C, logger: LoggerService) => DynamicModule | Promise<DynamicModule>;
  /**
   * Public HTTP API (default true): the global validation pipe (whitelist, forbid unknown,
   * transform; field errors in `details`) and the filter that answers every error in the fleet's
   * shape `{ statusCode, error, message, details?, request_id }`, RPC errors included. Off for processes that serve only
   * /health and /metrics (face, the worker pools).
   */
  httpApi?: boolean;
  /** Largest JSON body, when the default 100 kB is too small (e.g. `'8mb'`). */
  jsonBodyLimit?: string;
  /** A WebSocket adapter for the app's gateways. */
  webSocketAdapter?: (app: INestApplication) => WebSocketAdapter;
  /** Mounts the OpenAPI document (the service's `setup<Svc>Docs`); runs before listen. */
  docs?: (app: INestApplication) => void | Promise<void>;
  /** Appended to the "listening" log line (`, RTMP ingest on 1935`). */
  describe?: (config: C) => string;
}

/**
 * Peers whose X-Forwarded-For is believed (Express `trust proxy`): loopback and private networks,
 * where the gateway and the sibling instances are. The gateway sets the header to the address it
 * saw, so `req.ip` is the caller's; the instance ports are never published.
 */
export const TRUSTED_PROXIES = 'loopback, linklocal, uniquelocal';

/**
 * nginx keeps idle upstream connections for 60 s (its `keepalive_timeout` default in an upstream
 * block); Node closes an idle one after 5 s. When nginx reuses a connection just as Node closes it,
 * the request dies with ECONNRESET, and nginx does not retry a POST: a 502 for a robot's heartbeat
 * with every instance healthy (the chaos run found it). The side that reuses must give up first,
 * so Node keeps idle connections longer than nginx does (and headersTimeout must exceed it).
 */
export const UPSTREAM_IDLE_MS = 65_000;

function keepIdleConnectionsLongerThanTheGateway(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = UPSTREAM_IDLE_MS;
  server.headersTimeout = UPSTREAM_IDLE_MS + 1_000;
}

/**
 * Routes match case-sensitively (`/Robot/...` is not `/robot/...`), as nginx's locations do, so
 * another spelling cannot slip past a location's limits to the same handler. Nest's adapter makes
 * Express's router before any setting could be applied, and the router reads the flag as each
 * route is added: set it there as well, before the routes are registered.
 */
function configureExpress(instance: Express): void {
  instance.disable('x-powered-by');
  // No ETag: Express hashes every response body (SHA-1) to compute one, about 1 % of a ticket
  // check's CPU, for 304s that only a browser cache would use, on answers that change between polls.
  instance.set('etag', false);
  instance.set('trust proxy', TRUSTED_PROXIES);
  instance.enable('case sensitive routing');
  (instance.router as { caseSensitive?: boolean }).caseSensitive = true;
}

async function start<C extends FleetConfig>(options: BootstrapServiceOptions<C>): Promise<INestApplication> {
  const config = options.config();
  const logger = new JsonLogger(createLogger({ service: options.service, instanceId: config.instanceId, level: config.log.level, dir: config.log.dir }));
  const module = await options.module(config, logger);
  // abortOnError off: Nest would otherwise log a boot failure through our (asynchronous) JSON logger
  // and exit at once, losing the line; thrown, it reaches the catch below, which prints it synchronously.
  const app = await NestFactory.create<NestExpressApplication>(module, { logger, bufferLogs: true, abortOnError: false });
  configureExpress(app.getHttpAdapter().getInstance() as Express);
  if (options.jsonBodyLimit) app.useBodyParser('json', { limit: options.jsonBodyLimit });
  if (options.webSocketAdapter) app.useWebSocketAdapter(options.webSocketAdapter(app));
  if (options.httpApi !== false) {
    app.useGlobalPipes(apiValidationPipe());
    app.useGlobalFilters(new ApiExceptionFilter());
  }
  // Only the signals that ask for a shutdown: Nest's default list also catches SIGSEGV, SIGABRT and
  // the like, whose failed "shutdown" then exits with code 1 and no trace; left alone, the parent
  // sees which signal ended the process.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await options.docs?.(app);
  // The RMQ consumer starts after app.init(), so no handler runs before every provider is ready.
  if (app.get<FleetServiceInfo>(FLEET_SERVICE).servesRpc) await startRpcServer(app);
  await app.listen(config.http.port, '0.0.0.0');
  keepIdleConnectionsLongerThanTheGateway(app);
  logger.log(`${options.service} ${config.instanceId} listening on ${config.http.port}${options.describe?.(config) ?? ''}`, 'Bootstrap');
  return app;
}

/**
 * The one entry point of every fleet process (HTTP services and worker pools): JSON logs, the
 * root module (which imports FleetServiceModule), validation and error mapping, shutdown hooks,
 * the RabbitMQ consumer when the module serves one, then listen. A failure at boot is printed and exits 1.
 */
export function bootstrapService<C extends FleetConfig>(options: BootstrapServiceOptions<C>): Promise<INestApplication | undefined> {
  return start(options).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

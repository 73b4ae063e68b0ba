// The server under test: a Nest microservice on @fleet/messaging's FleetRmqServer with one typed
// handler (params validated by class-validator, as in production). Plain JS, so the decorators
// are applied by hand. Usage: node fleet-server.mjs <service> <prefetch>
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Controller, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { IsString } = require('class-validator');
const { defineMethod } = require('@fleet/contracts');
const { RpcHandler, FleetRmqServer } = require('@fleet/messaging');

const [service, prefetch] = process.argv.slice(2);

class EchoParams {}
IsString()(EchoParams.prototype, 'text');
const echo = defineMethod(`${service}.echo.v1`, EchoParams);

class EchoController {
  echo(params) {
    return { text: params.text };
  }
}
RpcHandler(echo)(EchoController.prototype, 'echo', Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo'));
Controller()(EchoController);

class BenchModule {}
Module({ controllers: [EchoController] })(BenchModule);

const strategy = new FleetRmqServer({
  url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  service,
  instanceId: 'bench',
  prefetch: Number(prefetch),
  maxDeliveries: 5,
});
const app = await NestFactory.createMicroservice(BenchModule, { strategy, logger: ['error', 'warn'] });
await app.listen();
process.send?.('ready');
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));

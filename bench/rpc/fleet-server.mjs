// The server under test: a Nest microservice on @fleet/messaging's FleetRmqServer with one typed
// handler (params validated by class-validator, as in production). Plain JS, so the decorators
// are applied by hand. Usage: node fleet-server.mjs <service> <prefetch>
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const { Controller, Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { IsString } = require('class-validator');
const { defineMethod, IsBytes } = require('@fleet/contracts');
const { RpcHandler, FleetRmqServer } = require('@fleet/messaging');

const [service, prefetch] = process.argv.slice(2);

class EchoParams {}
IsString()(EchoParams.prototype, 'text');
const echo = defineMethod(`${service}.echo.v1`, EchoParams);

// For bench/rpc/bytes.mjs: an image in, its size out (the image's bytes as a Buffer, either way it came).
class ImageParams {}
IsBytes({ maxBytes: 8_000_000 })(ImageParams.prototype, 'image');
const image = defineMethod(`${service}.image.v1`, ImageParams);

class EchoController {
  echo(params) {
    return { text: params.text };
  }

  image(params) {
    return { size: params.image.length };
  }
}
RpcHandler(echo)(EchoController.prototype, 'echo', Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo'));
RpcHandler(image)(EchoController.prototype, 'image', Object.getOwnPropertyDescriptor(EchoController.prototype, 'image'));
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

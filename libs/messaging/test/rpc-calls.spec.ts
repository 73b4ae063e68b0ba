import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Controller, Get, INestApplication, MiddlewareConsumer, Module, NestModule, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type amqp from 'amqplib';
import Redis from 'ioredis';
import type { FleetConfig } from '@fleet/config';
import { RpcErrorCode } from '@fleet/contracts';
import { RequestIdMiddleware, requestContext } from '@fleet/logging';
import { ATTACHMENTS_HEADER, DEADLINE_HEADER, DIRECT_REPLY_TO, MessagingModule, queueForService, RpcClient, RpcErrorHttpFilter, RpcHandler } from '../src';
import { BytesParams, EchoParams, EchoResult, testContracts } from './fixtures/test-contracts';
import { deleteServiceQueues, REDIS_URL, RMQ_URL, uniqueService, withChannel } from './support/broker';
import { spawnWorker, WorkerProcess } from './support/worker-process';
import { eventually, rejection } from './support/assertions';

const service = uniqueService('mtcalls');
const contracts = testContracts(service);

// Never called: it only has to compile, proving that params and results are typed by the contract.
export function typingChecks(client: RpcClient): void {
  const result: Promise<EchoResult> = client.call(contracts.echo, { text: 'typed' });
  void result;
  // @ts-expect-error params of the wrong contract do not compile
  void client.call(contracts.echo, { delayMs: 5 });
  class WrongHandler {
    // @ts-expect-error a handler whose params differ from the contract's does not compile
    @RpcHandler(contracts.echo) handle(params: { other: number }): EchoResult {
      return { text: String(params.other), instance: '', redelivered: false, attempt: 1 };
    }
  }
  void WrongHandler;
}

@Controller('edge')
class EdgeController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('echo/:text')
  echo(@Param('text') text: string): Promise<EchoResult> {
    return this.rpc.call(contracts.echo, { text });
  }

  @Get('fail/:text')
  fail(@Param('text') text: string): Promise<EchoResult> {
    return this.rpc.call(contracts.fail, { text });
  }
}

const edgeConfig = {
  serviceName: 'edge',
  instanceId: 'edge-1',
  rmq: { url: RMQ_URL, prefetch: 8, maxDeliveries: 3, deadlineMs: 3000 },
} as FleetConfig;

@Module({ imports: [MessagingModule.forRoot(edgeConfig)], controllers: [EdgeController] })
class EdgeModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}

describe('RPC calls against a real worker', () => {
  let worker: WorkerProcess;
  let client: RpcClient;
  let redis: Redis;

  before(async () => {
    worker = await spawnWorker(service, 'calls-a');
    client = new RpcClient({ url: RMQ_URL, defaultDeadlineMs: 3000, name: 'rpc-calls-spec' });
    await client.connect();
    redis = new Redis(REDIS_URL);
  });

  after(async () => {
    await client?.close();
    await worker?.stop();
    await deleteServiceQueues(service);
    const keys = await redis.keys(`${service}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  });

  it('returns the typed result of a call', async () => {
    const result = await client.call(contracts.echo, { text: 'hello' });
    assert.equal(result.text, 'hello');
    assert.equal(result.instance, 'calls-a');
    assert.equal(result.attempt, 1);
    assert.equal(client.isConnected(), true);
  });

  it('carries bytes as bytes both ways, and base64 text from a JSON-only caller as the same bytes', async () => {
    const blob = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const parts = [Buffer.from('first'), Buffer.alloc(1024, 7), Buffer.from([0])];
    const result = await client.call(contracts.bytes, { label: 'b', blob, parts });
    assert.ok(Buffer.isBuffer(result.reversed), 'the result’s bytes arrive as a Buffer');
    assert.deepEqual([result.label, result.reversed, result.sizes], ['b', Buffer.from(blob).reverse(), [5, 1024, 1]]);
    const asText = await client.call(contracts.bytes, { label: 't', blob: blob.toString('base64'), parts: [parts[0].toString('base64')] } as unknown as BytesParams);
    assert.deepEqual([asText.reversed, asText.sizes], [Buffer.from(blob).reverse(), [5]]);
    const tooLarge = await rejection(client.call(contracts.bytes, { label: 'x', blob: Buffer.alloc(1025), parts: [Buffer.alloc(0)] }));
    assert.equal(tooLarge.code, RpcErrorCode.InvalidParams);
    assert.deepEqual((tooLarge.data as { errors: string[] }).errors, [
      'blob must be bytes (a Buffer, or base64 text) of 1 to 1024 bytes',
      'each value in parts must be bytes (a Buffer, or base64 text) of 1 to 1024 bytes',
    ]);
  });

  it('answers invalid params with InvalidParams listing every violation', async () => {
    const error = await rejection(client.call(contracts.echo, { text: 42, delayMs: -1 } as unknown as EchoParams));
    assert.equal(error.code, RpcErrorCode.InvalidParams);
    const errors = (error.data as { errors: string[] }).errors;
    assert.ok(errors.includes('text must be a string'), errors.join());
    assert.ok(errors.includes('delayMs must not be less than 0'), errors.join());
    assert.match(error.message, new RegExp(`Invalid params for ${contracts.echo.name}`));
  });

  it('preserves a domain error’s code, message and data', async () => {
    const error = await rejection(client.call(contracts.fail, { text: 'widget' }));
    assert.equal(error.code, RpcErrorCode.NotFound);
    assert.equal(error.message, 'No thing called widget');
    assert.deepEqual(error.data, { text: 'widget' });
  });

  it('maps an HTTP exception thrown by a handler to its JSON-RPC code, without retrying it', async () => {
    const error = await rejection(client.call(contracts.reject, { text: 'r1' }));
    assert.equal(error.code, RpcErrorCode.NotFound);
    assert.equal(error.message, 'No record r1');
    const metrics = await worker.get('/metrics');
    const series = (outcome: string) => `fleet_rpc_server_duration_seconds_count{method="${contracts.reject.name}",outcome="${outcome}"}`;
    assert.ok(metrics.includes(`${series('error')} 1`), 'handled once, as a domain error');
    assert.ok(!metrics.includes(series('retried')), 'never retried');
  });

  it('answers an unknown method with MethodNotFound at once', async () => {
    const started = Date.now();
    const error = await rejection(client.call(contracts.missing, { text: 'x' }));
    assert.equal(error.code, RpcErrorCode.MethodNotFound);
    assert.match(error.message, new RegExp(contracts.missing.name.replace(/\./g, '\\.')));
    assert.ok(Date.now() - started < 1000);
  });

  it('fails fast with Unavailable when the target service has no queue', async () => {
    const started = Date.now();
    const error = await rejection(client.call(testContracts(uniqueService('mtnobody')).echo, { text: 'x' }, { deadlineMs: 5000 }));
    assert.equal(error.code, RpcErrorCode.Unavailable);
    assert.ok(Date.now() - started < 1000, 'must not wait for the deadline');
  });

  it('gives up at the deadline with DeadlineExceeded naming the method and deadline', async () => {
    const started = Date.now();
    const error = await rejection(client.call(contracts.slow, { text: 'zzz', delayMs: 1500 }, { deadlineMs: 300 }));
    const elapsed = Date.now() - started;
    assert.equal(error.code, RpcErrorCode.DeadlineExceeded);
    assert.equal(error.message, `${contracts.slow.name} did not answer within its 300 ms deadline`);
    assert.ok(elapsed >= 295 && elapsed < 500, `took ${elapsed} ms`);
  });

  it('answers a body that does not match its attachments header with ParseError at once, and dead-letters it', async () => {
    const messageId = randomUUID();
    const body = Buffer.concat([Buffer.from(JSON.stringify({ pattern: contracts.bytes.name, data: { label: 'x', blob: { $attachment: 0 }, parts: [] }, id: 'torn-1' })), Buffer.from('abc')]);
    const reply = await withChannel(async (channel) => {
      const replied = new Promise<amqp.ConsumeMessage>((resolve, reject) => {
        setTimeout(() => reject(new Error('no reply within 5 s')), 5000).unref();
        void channel.consume(DIRECT_REPLY_TO, (message) => message && resolve(message), { noAck: true });
      });
      // The header promises more bytes than the body has: a torn or forged message.
      channel.sendToQueue(queueForService(service), body, { replyTo: DIRECT_REPLY_TO, correlationId: 'torn-1', messageId, headers: { [ATTACHMENTS_HEADER]: [3, 4096] } });
      return replied;
    });
    assert.equal(reply.properties.correlationId, 'torn-1');
    const packet = JSON.parse(reply.content.toString()) as { id: string; err: { code: number; message: string } };
    assert.deepEqual([packet.id, packet.err.code, packet.err.message], ['torn-1', RpcErrorCode.ParseError, 'The message body is not a request packet']);
    await worker.waitForLog((line) => (line.msg ?? '').includes(`Dead-lettered unparseable (message ${messageId})`));
    assert.equal(worker.logs.some((line) => (line.msg ?? '').startsWith('bytes did not arrive')), false, 'the handler must not run');
  });

  it('drops, unhandled, a request whose deadline passed before it was delivered', async () => {
    const messageId = randomUUID();
    const replies: unknown[] = [];
    await withChannel(async (channel) => {
      await channel.consume(DIRECT_REPLY_TO, (message) => replies.push(message), { noAck: true });
      channel.sendToQueue(queueForService(service), Buffer.from(JSON.stringify({ pattern: contracts.echo.name, data: { text: 'late' }, id: 'late-1' })), {
        replyTo: DIRECT_REPLY_TO,
        correlationId: 'late-1',
        messageId,
        headers: { [DEADLINE_HEADER]: Date.now() - 1000 },
      });
      await worker.waitForLog((line) => (line.msg ?? '').includes(`Dropped ${contracts.echo.name} (message ${messageId})`));
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    assert.equal(replies.length, 0);
    assert.equal(worker.logs.some((line) => line.msg === 'echo late'), false, 'the handler must not run');
  });

  it('carries the caller’s request id to the handler’s context and log lines', async () => {
    const result = await requestContext.run({ requestId: 'req-trace-1' }, () => client.call(contracts.echo, { text: 'traced' }));
    assert.equal(result.requestId, 'req-trace-1');
    const line = await worker.waitForLog((entry) => entry.msg === 'echo traced');
    assert.equal(line.requestId, 'req-trace-1');
    const fresh = await client.call(contracts.echo, { text: 'untraced' });
    assert.match(fresh.requestId ?? '', /^[0-9a-f-]{36}$/, 'a call outside any request gets a new id');
  });

  it('delivers a confirmed event to its handler, with the request id', async () => {
    await requestContext.run({ requestId: 'req-event-1' }, () => client.emit(contracts.noted, { text: 'n1' }));
    const stored = await eventually(async () => {
      const items = await redis.lrange(`${service}:notes`, 0, -1);
      return items.length > 0 ? items.map((item) => JSON.parse(item)) : undefined;
    }, 3000, 'the event handler');
    assert.deepEqual(stored, [{ text: 'n1', requestId: 'req-event-1', instance: 'calls-a' }]);
  });

  describe('at the HTTP edge', () => {
    let app: INestApplication;
    let base: string;

    before(async () => {
      app = await NestFactory.create(EdgeModule, { logger: false });
      app.useGlobalFilters(new RpcErrorHttpFilter());
      await app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/edge`;
    });

    after(async () => {
      await app?.close();
    });

    it('follows the gateway’s X-Request-ID through HTTP, RMQ and the handler’s logs', async () => {
      const response = await fetch(`${base}/echo/from-http`, { headers: { 'x-request-id': 'gw-req-77' } });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-request-id'), 'gw-req-77');
      const body = (await response.json()) as EchoResult;
      assert.equal(body.requestId, 'gw-req-77');
      assert.equal((await worker.waitForLog((line) => line.msg === 'echo from-http')).requestId, 'gw-req-77');
    });

    it('turns an RpcError into its HTTP status with code and data', async () => {
      const response = await fetch(`${base}/fail/gizmo`);
      assert.equal(response.status, 404);
      assert.deepEqual(await response.json(), {
        statusCode: 404,
        error: 'Not Found',
        message: 'No thing called gizmo',
        code: RpcErrorCode.NotFound,
        data: { text: 'gizmo' },
      });
    });
  });
});

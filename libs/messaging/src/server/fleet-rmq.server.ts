import { Logger } from '@nestjs/common';
import { MessageHandler, RmqContext, ServerRMQ } from '@nestjs/microservices';
import type { AmqpConnectionManager, CreateChannelOpts } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { isObservable, lastValueFrom } from 'rxjs';
import { RpcErrorBody, RpcErrorCode, RpcEvent, RpcMethod } from '@fleet/contracts';
import { REQUEST_ID_HEADER, requestContext } from '@fleet/logging';
import { classifyHandlerError } from '../errors/classify-error';
import { rpcDeadLettered, rpcServerDuration, ServerOutcome } from '../metrics/rpc-metrics';
import { deadLetterQueueFor, deadLetterQueueOptions, queueForService, workQueueOptions } from '../topology/queue-topology';
import { encodePacket, JSON_CONTENT_TYPE } from '../topology/wire-format';
import { validateParams } from './params-validation';
import { CONTRACT_EXTRA } from './rpc-handler.decorator';
import { Delivery, readDelivery } from './rmq-delivery';

export interface FleetRmqServerOptions {
  url: string;
  /** The owning service: it consumes `queueForService(service)`. */
  service: string;
  instanceId: string;
  /** Unacked messages per consumer; also how many handlers run at once. */
  prefetch: number;
  /** Deliveries (first + retries) before a failing message is dead-lettered. */
  maxDeliveries: number;
  /** Delay before a failed message is returned to the queue: base * 2^(attempt-1), capped. */
  retryBackoff?: { baseMs: number; maxMs: number };
  reconnectSeconds?: number;
  heartbeatSeconds?: number;
  /** On shutdown, how long to let running handlers finish before the channel closes. */
  drainTimeoutMs?: number;
}

type Contract = RpcMethod<object, unknown> | RpcEvent<object>;
type Settlement = 'ack' | 'requeue' | 'dead-letter';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Nest's RMQ transport, kept for connection management (amqp-connection-manager reconnects and
 * re-runs `setupChannel`), handler registration and the Nest pipeline, with the delivery policy
 * replaced: manual acks after the handler and its reply, quorum queues with a dead-letter queue,
 * bounded retries of unexpected failures, JSON-RPC error replies, deadlines and the request id.
 */
export class FleetRmqServer extends ServerRMQ {
  // Errors from event handlers come back to us (to retry or dead-letter) instead of only being logged.
  override readonly propagatesEventHandlerErrors = true;
  private readonly log = new Logger(FleetRmqServer.name);
  private readonly deadLetterQueue: string;
  private readonly backoff: { baseMs: number; maxMs: number };
  private consumer?: { channel: Channel; tag: string };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly handlerCache = new Map<string, MessageHandler>();

  constructor(private readonly fleet: FleetRmqServerOptions) {
    const queue = queueForService(fleet.service);
    super({
      urls: [fleet.url],
      queue,
      queueOptions: workQueueOptions(queue, fleet.maxDeliveries),
      noAck: false,
      prefetchCount: fleet.prefetch,
      socketOptions: {
        heartbeatIntervalInSeconds: fleet.heartbeatSeconds ?? 5,
        reconnectTimeInSeconds: fleet.reconnectSeconds ?? 1,
        connectionOptions: { noDelay: true, clientProperties: { connection_name: `${fleet.service}-${fleet.instanceId} rpc-server` } },
      },
    });
    this.deadLetterQueue = deadLetterQueueFor(queue);
    this.backoff = fleet.retryBackoff ?? { baseMs: 100, maxMs: 2000 };
  }

  /** True while a consumer is registered on a live channel; for health checks. */
  isConnected(): boolean {
    return this.consumer !== undefined && Boolean(this.server?.isConnected());
  }

  /** Runs on the first connection and again on every reconnect. */
  override async setupChannel(channel: Channel, callback: () => void): Promise<void> {
    try {
      await channel.assertQueue(this.deadLetterQueue, deadLetterQueueOptions());
      await channel.assertQueue(this.queue, this.queueOptions);
    } catch (error) {
      this.log.error(`Cannot declare ${this.queue}: ${(error as Error).message}. A 406 means it exists with other arguments; every declarer must use workQueueOptions().`);
      throw error;
    }
    await channel.prefetch(this.fleet.prefetch, false);
    const { consumerTag } = await channel.consume(this.queue, (message) => this.track(this.onDelivery(message, channel)), { noAck: false });
    this.consumer = { channel, tag: consumerTag };
    channel.once('close', () => {
      if (this.consumer?.channel === channel) this.consumer = undefined;
    });
    this.log.log(`Consuming ${this.queue} (prefetch ${this.fleet.prefetch}, ${this.fleet.maxDeliveries} deliveries, then ${this.deadLetterQueue})`);
    callback();
  }

  /** Our consume callback; ServerRMQ's `handleMessage` (auto-ack era policy) is not used. */
  private async onDelivery(message: ConsumeMessage | null, channel: Channel): Promise<void> {
    if (message === null) {
      this.log.warn(`The broker cancelled the consumer of ${this.queue} (queue deleted?)`);
      return;
    }
    const delivery = readDelivery(message);
    await requestContext.run({ requestId: delivery.requestId }, () => this.process(delivery, channel));
  }

  /** Stops taking messages, lets running handlers finish (bounded), then closes. */
  override async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer) await consumer.channel.cancel(consumer.tag).catch(() => undefined);
    if (this.inFlight.size > 0) await Promise.race([Promise.allSettled([...this.inFlight]), sleep(this.fleet.drainTimeoutMs ?? 10_000)]);
    await super.close();
  }

  /**
   * Nest's lookup JSON.parses every pattern inside a try/catch, so a plain string pattern costs a
   * thrown exception per message (a tenth of the server's CPU in the benchmark). Handlers are all
   * registered before `listen`, so the answer for a known pattern never changes; misses are not
   * cached (patterns come from callers and would grow the map without bound).
   */
  override getHandlerByPattern(pattern: string): MessageHandler | null {
    let handler = this.handlerCache.get(pattern);
    if (handler === undefined) {
      handler = super.getHandlerByPattern(pattern) ?? undefined;
      if (handler) this.handlerCache.set(pattern, handler);
    }
    return handler ?? null;
  }

  /**
   * ServerRMQ asks amqp-connection-manager for a confirm channel (its default). We only publish
   * replies, for which the caller's receipt is the confirmation; confirming each one would cost
   * the broker and us a frame per call for nothing. So the manager's channels are made plain.
   */
  override async createClient<T>(): Promise<T> {
    const manager = await super.createClient<AmqpConnectionManager>();
    const createChannel = manager.createChannel.bind(manager);
    manager.createChannel = (options?: CreateChannelOpts) => createChannel({ ...options, confirm: false });
    return manager as T;
  }

  private async process(delivery: Delivery, channel: Channel): Promise<void> {
    const stop = rpcServerDuration().startTimer();
    const handler = delivery.packet ? this.getHandlerByPattern(delivery.packet.pattern) : null;
    const outcome = await this.decide(delivery, channel, handler).catch((error: unknown) => {
      // Only our own bookkeeping can fail here; the broker redelivers what we did not settle.
      this.log.error(`Delivery of ${delivery.method} (message ${delivery.messageId}) failed: ${(error as Error).message}`);
      return 'error' as const;
    });
    stop({ method: handler ? delivery.method : 'unknown', outcome });
  }

  private async decide(delivery: Delivery, channel: Channel, handler: MessageHandler | null): Promise<ServerOutcome> {
    const { packet } = delivery;
    if (!packet) {
      this.reply(delivery, channel, { code: RpcErrorCode.ParseError, message: 'The message body is not a request packet' });
      return this.deadLetter(delivery, channel, 'unparseable body');
    }
    if (delivery.deadline !== undefined && Date.now() > delivery.deadline) {
      this.log.warn(`Dropped ${delivery.method} (message ${delivery.messageId}): its deadline passed ${Date.now() - delivery.deadline} ms ago, the caller gave up`);
      this.settle(delivery, channel, 'ack');
      return 'expired';
    }
    if (delivery.attempt > 1) this.logRedelivery(delivery);
    if (!handler) {
      if (!delivery.expectsReply) return this.deadLetter(delivery, channel, 'no handler for this event');
      this.log.warn(`No handler for ${packet.pattern} (message ${delivery.messageId})`);
      this.reply(delivery, channel, { code: RpcErrorCode.MethodNotFound, message: `Method ${packet.pattern} is not handled by ${this.fleet.service}` });
      this.settle(delivery, channel, 'ack');
      return 'error';
    }
    try {
      const result = await this.invoke(handler, packet.data, new RmqContext([delivery.message, channel, packet.pattern]));
      this.reply(delivery, channel, undefined, result);
      this.settle(delivery, channel, 'ack');
      return 'ok';
    } catch (error) {
      return this.fail(delivery, channel, error);
    }
  }

  private async invoke(handler: MessageHandler, data: unknown, context: RmqContext): Promise<unknown> {
    const contract = (handler.extras as Record<string, Contract | undefined> | undefined)?.[CONTRACT_EXTRA];
    const params = contract ? await validateParams(contract, data) : data;
    const output: unknown = await handler(params, context);
    // A request has one answer: the last value of a stream (interceptors make one), else the value.
    return isObservable(output) ? lastValueFrom(output, { defaultValue: undefined }) : output;
  }

  private async fail(delivery: Delivery, channel: Channel, error: unknown): Promise<ServerOutcome> {
    const failure = classifyHandlerError(error);
    if (!failure.retry) {
      if (delivery.expectsReply) this.reply(delivery, channel, failure.body);
      else if (failure.body.code === RpcErrorCode.InvalidParams) return this.deadLetter(delivery, channel, failure.body.message);
      else this.log.warn(`Event ${delivery.method} (message ${delivery.messageId}) refused: ${failure.body.message}`);
      this.settle(delivery, channel, 'ack');
      return 'error';
    }
    const cause = failure.cause instanceof Error ? failure.cause : new Error(String(failure.cause));
    if (delivery.attempt < this.fleet.maxDeliveries) {
      const delayMs = Math.min(this.backoff.baseMs * 2 ** (delivery.attempt - 1), this.backoff.maxMs);
      this.log.warn(`${delivery.method} (message ${delivery.messageId}) failed on attempt ${delivery.attempt}/${this.fleet.maxDeliveries}, retrying in ${delayMs} ms: ${cause.message}`);
      // Holding the message during the backoff keeps it from bouncing straight back to a consumer.
      await sleep(delayMs);
      this.settle(delivery, channel, 'requeue');
      return 'retried';
    }
    // The details stay in our log; the caller learns which message failed, not our stack.
    this.reply(delivery, channel, {
      code: RpcErrorCode.InternalError,
      message: `${delivery.method} failed on all ${delivery.attempt} attempts (message ${delivery.messageId})`,
    });
    return this.deadLetter(delivery, channel, cause.stack ?? cause.message);
  }

  /**
   * The trail of a message that crashes its workers: the broker dead-letters it after the last
   * delivery without any code of ours running, so these lines are the record.
   */
  private logRedelivery(delivery: Delivery): void {
    const last = delivery.attempt >= this.fleet.maxDeliveries;
    const warning = last ? `; last attempt, if it fails or its worker dies the message goes to ${this.deadLetterQueue}` : '';
    this.log.warn(`Redelivery ${delivery.attempt}/${this.fleet.maxDeliveries} of ${delivery.method} (message ${delivery.messageId})${warning}`);
  }

  private deadLetter(delivery: Delivery, channel: Channel, reason: string): ServerOutcome {
    this.settle(delivery, channel, 'dead-letter');
    const method = this.getHandlerByPattern(delivery.method) ? delivery.method : 'unknown';
    rpcDeadLettered().inc({ queue: this.queue, method });
    this.log.error(`Dead-lettered ${delivery.method} (message ${delivery.messageId}) to ${this.deadLetterQueue} after ${delivery.attempt} attempt(s): ${reason}`);
    return 'dead_lettered';
  }

  /** Replies go out on the delivering channel, before the ack, so "acked" implies "answered". */
  private reply(delivery: Delivery, channel: Channel, err?: RpcErrorBody, response?: unknown): void {
    const { packet, message } = delivery;
    if (!delivery.expectsReply || !packet?.id) return;
    const body = err ? encodePacket({ id: packet.id, err, isDisposed: true }) : encodePacket({ id: packet.id, response, isDisposed: true });
    try {
      channel.sendToQueue(message.properties.replyTo, body, {
        correlationId: message.properties.correlationId ?? packet.id,
        contentType: JSON_CONTENT_TYPE,
        headers: { [REQUEST_ID_HEADER]: delivery.requestId },
      });
    } catch (error) {
      this.log.warn(`Could not reply to ${delivery.method} (message ${delivery.messageId}): ${(error as Error).message}`);
    }
  }

  /**
   * Acks on the channel that delivered the message: after a reconnect the old delivery tag means
   * nothing on the new channel (acking it there would close that channel). If the old channel is
   * gone, the broker has already requeued the message, which is the at-least-once we want.
   */
  private settle(delivery: Delivery, channel: Channel, how: Settlement): void {
    try {
      if (how === 'ack') channel.ack(delivery.message);
      else channel.nack(delivery.message, false, how === 'requeue');
    } catch (error) {
      this.log.warn(`Could not ${how} ${delivery.method} (message ${delivery.messageId}); the broker will redeliver it: ${(error as Error).message}`);
    }
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

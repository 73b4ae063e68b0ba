import { Logger } from '@nestjs/common';
import { MessageHandler, RmqContext, ServerRMQ } from '@nestjs/microservices';
import type { AmqpConnectionManager, ChannelWrapper, CreateChannelOpts } from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import { isObservable, lastValueFrom } from 'rxjs';
import { RpcErrorBody, RpcErrorCode, RpcEvent, RpcMethod } from '@fleet/contracts';
import { REQUEST_ID_HEADER, requestContext } from '@fleet/logging';
import { classifyHandlerError } from '../errors/classify-error';
import { rpcDeadLettered, rpcServerDuration, ServerOutcome } from '../metrics/rpc-metrics';
import {
  assertEventExchanges,
  deadLetterQueueFor,
  deadLetterQueueOptions,
  EVENTS_EXCHANGE,
  eventQueueForService,
  instanceEventQueueOptions,
  queueForService,
  workQueueOptions,
} from '../topology/queue-topology';
import { attachmentHeaders, encodePacket } from '../topology/wire-format';
import { coalesceWrites } from '../topology/write-coalescing';
import { validateParams } from './params-validation';
import { CONTRACT_EXTRA, EVERY_INSTANCE_EXTRA } from './rpc-handler.decorator';
import { Delivery, readDelivery } from './rmq-delivery';

export interface FleetRmqServerOptions {
  url: string;
  /** The service: its event queue is `fleet.<service>.events`; its RPC queues are its contracts'. */
  service: string;
  instanceId: string;
  /** Unacked RPC messages per consumer; also how many RPC handlers run at once. */
  prefetch: number;
  /** The same for events, which wait on their own channel and never queue behind calls (default: prefetch). */
  eventPrefetch?: number;
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

/** One consumed queue and its delivery policy. */
interface Route {
  /** What the consumer is for, in logs: `fleet.face`, `fleet.vision.events`, `instance events`. */
  label: string;
  queue: string;
  deadLetterQueue: string;
  maxDeliveries: number;
  /** Classic queues do not count deliveries: only the broker's redelivered flag tells a retry. */
  countsDeliveries: boolean;
}

/** What the registered handlers ask for, read once at listen time. */
interface ConsumerPlan {
  rpcQueues: string[];
  sharedEvents: string[];
  instanceEvents: string[];
}

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
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly consumers = new Map<string, { channel: Channel; tag: string }>();
  private expectedConsumers = 0;
  private eventChannel?: ChannelWrapper;
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
    this.backoff = fleet.retryBackoff ?? { baseMs: 100, maxMs: 2000 };
  }

  /** True while every consumer the handlers need is registered on a live channel; for health checks. */
  isConnected(): boolean {
    return Boolean(this.server?.isConnected()) && this.consumers.size === this.expectedConsumers;
  }

  /**
   * Runs on the first connection and again on every reconnect. This channel carries the RPC
   * consumers (one per queue the handled methods name); events get a channel of their own, with
   * their own prefetch, so a burst of one never waits behind the other.
   */
  override async setupChannel(channel: Channel, callback: () => void): Promise<void> {
    const plan = this.plan();
    this.expectedConsumers = plan.rpcQueues.length + (plan.sharedEvents.length ? 1 : 0) + (plan.instanceEvents.length ? 1 : 0);
    await channel.prefetch(this.fleet.prefetch, false);
    for (const queue of plan.rpcQueues) {
      const route = this.durableRoute(queue, queue);
      await this.declare(channel, route);
      await this.consume(channel, route);
    }
    if ((plan.sharedEvents.length || plan.instanceEvents.length) && !this.eventChannel && this.server) {
      // amqp-connection-manager re-runs the setup on every reconnect, like this method's.
      const eventChannel = this.server.createChannel({ json: false, setup: (events: Channel) => this.setupEventChannel(events, plan) });
      this.eventChannel = eventChannel;
      await eventChannel.waitForConnect();
    }
    callback();
  }

  private async setupEventChannel(channel: Channel, plan: ConsumerPlan): Promise<void> {
    await assertEventExchanges(channel, { unroutedQueue: false });
    await channel.prefetch(this.fleet.eventPrefetch ?? this.fleet.prefetch, false);
    const shared = eventQueueForService(this.fleet.service);
    // The DLQ serves the per-instance queue too, so it is declared whichever exists.
    await channel.assertQueue(deadLetterQueueFor(shared), deadLetterQueueOptions());
    if (plan.sharedEvents.length) {
      const route = this.durableRoute(shared, shared);
      await this.declare(channel, route);
      for (const name of plan.sharedEvents) await channel.bindQueue(shared, EVENTS_EXCHANGE, name);
      await this.consume(channel, route);
    }
    if (plan.instanceEvents.length) {
      const { queue } = await channel.assertQueue('', instanceEventQueueOptions(this.fleet.service));
      for (const name of plan.instanceEvents) await channel.bindQueue(queue, EVENTS_EXCHANGE, name);
      await this.consume(channel, { label: 'instance events', queue, deadLetterQueue: deadLetterQueueFor(shared), maxDeliveries: 2, countsDeliveries: false });
    }
  }

  /** RPC queues from the handled methods' contracts; events split by who must see them. */
  private plan(): ConsumerPlan {
    const rpcQueues = new Set<string>();
    const plan: ConsumerPlan = { rpcQueues: [], sharedEvents: [], instanceEvents: [] };
    for (const [pattern, handler] of this.messageHandlers) {
      const extras = handler.extras as Record<string, unknown> | undefined;
      const contract = extras?.[CONTRACT_EXTRA] as Contract | undefined;
      if (!handler.isEventHandler) rpcQueues.add(contract?.kind === 'method' ? contract.queue : queueForService(this.fleet.service));
      else if (extras?.[EVERY_INSTANCE_EXTRA]) plan.instanceEvents.push(pattern);
      else plan.sharedEvents.push(pattern);
    }
    plan.rpcQueues = [...rpcQueues];
    return plan;
  }

  private durableRoute(label: string, queue: string): Route {
    return { label, queue, deadLetterQueue: deadLetterQueueFor(queue), maxDeliveries: this.fleet.maxDeliveries, countsDeliveries: true };
  }

  private async declare(channel: Channel, route: Route): Promise<void> {
    try {
      await channel.assertQueue(route.deadLetterQueue, deadLetterQueueOptions());
      await channel.assertQueue(route.queue, workQueueOptions(route.queue, route.maxDeliveries));
    } catch (error) {
      this.log.error(`Cannot declare ${route.queue}: ${(error as Error).message}. A 406 means it exists with other arguments; every declarer must use workQueueOptions().`);
      throw error;
    }
  }

  private async consume(channel: Channel, route: Route): Promise<void> {
    const { consumerTag } = await channel.consume(route.queue, (message) => this.track(this.onDelivery(message, channel, route)), { noAck: false });
    this.consumers.set(route.label, { channel, tag: consumerTag });
    channel.once('close', () => {
      if (this.consumers.get(route.label)?.channel === channel) this.consumers.delete(route.label);
    });
    this.log.log(`Consuming ${route.label} (${route.maxDeliveries} deliveries, then ${route.deadLetterQueue})`);
  }

  /** Our consume callback; ServerRMQ's `handleMessage` (auto-ack era policy) is not used. */
  private async onDelivery(message: ConsumeMessage | null, channel: Channel, route: Route): Promise<void> {
    if (message === null) {
      this.log.warn(`The broker cancelled the consumer of ${route.label} (queue deleted?)`);
      return;
    }
    const delivery = readDelivery(message);
    if (!route.countsDeliveries) delivery.attempt = message.fields.redelivered ? 2 : 1;
    await requestContext.run({ requestId: delivery.requestId }, () => this.process(delivery, channel, route));
  }

  /** Stops taking messages, lets running handlers finish (bounded), then closes. */
  override async close(): Promise<void> {
    const consumers = [...this.consumers.values()];
    this.consumers.clear();
    await Promise.all(consumers.map((consumer) => consumer.channel.cancel(consumer.tag).catch(() => undefined)));
    if (this.inFlight.size > 0) await Promise.race([Promise.allSettled([...this.inFlight]), sleep(this.fleet.drainTimeoutMs ?? 10_000)]);
    await this.eventChannel?.close().catch(() => undefined);
    this.eventChannel = undefined;
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
   * Every connection it makes writes each event-loop turn's replies and acks at once.
   */
  override async createClient<T>(): Promise<T> {
    const manager = await super.createClient<AmqpConnectionManager>();
    manager.on('connect', ({ connection }) => coalesceWrites(connection));
    const createChannel = manager.createChannel.bind(manager);
    manager.createChannel = (options?: CreateChannelOpts) => {
      const wrapper = createChannel({ ...options, confirm: false });
      // A wrapper re-runs a failed setup on the next connection, but emits 'error' first; unheard,
      // that event ends the process (the broker closing a connection mid-setup did, at a fleet's first start).
      wrapper.on('error', (error: Error) => this.log.warn(`Channel setup failed; retried on the next connection: ${error.message}`));
      return wrapper;
    };
    return manager as T;
  }

  private async process(delivery: Delivery, channel: Channel, route: Route): Promise<void> {
    const stop = rpcServerDuration().startTimer();
    const handler = delivery.packet ? this.getHandlerByPattern(delivery.packet.pattern) : null;
    const outcome = await this.decide(delivery, channel, route, handler).catch((error: unknown) => {
      // Only our own bookkeeping can fail here; the broker redelivers what we did not settle.
      this.log.error(`Delivery of ${delivery.method} (message ${delivery.messageId}) failed: ${(error as Error).message}`);
      return 'error' as const;
    });
    stop({ method: handler ? delivery.method : 'unknown', outcome });
  }

  private async decide(delivery: Delivery, channel: Channel, route: Route, handler: MessageHandler | null): Promise<ServerOutcome> {
    const { packet } = delivery;
    if (!packet) {
      this.reply(delivery, channel, { code: RpcErrorCode.ParseError, message: 'The message body is not a request packet' });
      return this.deadLetter(delivery, channel, route, 'unparseable body');
    }
    if (delivery.deadline !== undefined && Date.now() > delivery.deadline) {
      this.log.warn(`Dropped ${delivery.method} (message ${delivery.messageId}): its deadline passed ${Date.now() - delivery.deadline} ms ago, the caller gave up`);
      this.settle(delivery, channel, 'ack');
      return 'expired';
    }
    if (delivery.attempt > 1) this.logRedelivery(delivery, route);
    if (!handler) {
      if (!delivery.expectsReply) return this.deadLetter(delivery, channel, route, 'no handler for this event');
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
      return this.fail(delivery, channel, route, error);
    }
  }

  private async invoke(handler: MessageHandler, data: unknown, context: RmqContext): Promise<unknown> {
    const contract = (handler.extras as Record<string, Contract | undefined> | undefined)?.[CONTRACT_EXTRA];
    const params = contract ? await validateParams(contract, data) : data;
    const output: unknown = await handler(params, context);
    // A request has one answer: the last value of a stream (interceptors make one), else the value.
    return isObservable(output) ? lastValueFrom(output, { defaultValue: undefined }) : output;
  }

  private async fail(delivery: Delivery, channel: Channel, route: Route, error: unknown): Promise<ServerOutcome> {
    const failure = classifyHandlerError(error);
    if (!failure.retry) {
      if (delivery.expectsReply) this.reply(delivery, channel, failure.body);
      else if (failure.body.code === RpcErrorCode.InvalidParams) return this.deadLetter(delivery, channel, route, failure.body.message);
      else this.log.warn(`Event ${delivery.method} (message ${delivery.messageId}) refused: ${failure.body.message}`);
      this.settle(delivery, channel, 'ack');
      return 'error';
    }
    const cause = failure.cause instanceof Error ? failure.cause : new Error(String(failure.cause));
    if (delivery.attempt < route.maxDeliveries) {
      const delayMs = Math.min(this.backoff.baseMs * 2 ** (delivery.attempt - 1), this.backoff.maxMs);
      this.log.warn(`${delivery.method} (message ${delivery.messageId}) failed on attempt ${delivery.attempt}/${route.maxDeliveries}, retrying in ${delayMs} ms: ${cause.message}`);
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
    return this.deadLetter(delivery, channel, route, cause.stack ?? cause.message);
  }

  /**
   * The trail of a message that crashes its workers: the broker dead-letters it after the last
   * delivery without any code of ours running, so these lines are the record.
   */
  private logRedelivery(delivery: Delivery, route: Route): void {
    const last = delivery.attempt >= route.maxDeliveries;
    const warning = last ? `; last attempt, if it fails or its worker dies the message goes to ${route.deadLetterQueue}` : '';
    this.log.warn(`Redelivery ${delivery.attempt}/${route.maxDeliveries} of ${delivery.method} (message ${delivery.messageId})${warning}`);
  }

  private deadLetter(delivery: Delivery, channel: Channel, route: Route, reason: string): ServerOutcome {
    this.settle(delivery, channel, 'dead-letter');
    const method = this.getHandlerByPattern(delivery.method) ? delivery.method : 'unknown';
    rpcDeadLettered().inc({ queue: route.countsDeliveries ? route.queue : 'instance', method });
    this.log.error(`Dead-lettered ${delivery.method} (message ${delivery.messageId}) to ${route.deadLetterQueue} after ${delivery.attempt} attempt(s): ${reason}`);
    return 'dead_lettered';
  }

  /**
   * Replies go out on the delivering channel, before the ack, so "acked" implies "answered". A body
   * that is no packet is answered too when its properties say where (reply-to and correlation id):
   * its caller learns at once instead of at its deadline.
   */
  private reply(delivery: Delivery, channel: Channel, err?: RpcErrorBody, response?: unknown): void {
    const { packet, message } = delivery;
    const id: unknown = packet ? (delivery.expectsReply ? packet.id : undefined) : message.properties.correlationId;
    if (typeof id !== 'string' || !id || !message.properties.replyTo) return;
    const encoded = err ? encodePacket({ id, err, isDisposed: true }) : encodePacket({ id, response, isDisposed: true });
    try {
      channel.sendToQueue(message.properties.replyTo, encoded.body, {
        correlationId: message.properties.correlationId ?? id,
        contentType: encoded.contentType,
        headers: { [REQUEST_ID_HEADER]: delivery.requestId, ...attachmentHeaders(encoded) },
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

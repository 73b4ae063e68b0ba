import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AmqpConnectionManager, ChannelWrapper, connect } from 'amqp-connection-manager';
import type { Channel, ConfirmChannel, ConsumeMessage, Message, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { RpcErrorCode, RpcEvent, RpcMethod } from '@fleet/contracts';
import { normaliseRequestId, REQUEST_ID_HEADER, requestContext } from '@fleet/logging';
import { RpcError } from '../errors/rpc-error';
import { ClientOutcome, reportUnroutedEvents, rpcClientDuration } from '../metrics/rpc-metrics';
import { assertEventExchanges, EVENTS_EXCHANGE, UNROUTED_EVENTS_QUEUE } from '../topology/queue-topology';
import { attachmentHeaders, DEADLINE_HEADER, decodeReply, decodeRequest, DIRECT_REPLY_TO, EncodedPacket, encodePacket } from '../topology/wire-format';
import { coalesceWrites } from '../topology/write-coalescing';
import { PendingCalls } from './pending-calls';

export interface RpcClientOptions {
  url: string;
  /** Deadline of a call that sets none. */
  defaultDeadlineMs: number;
  /** Shown as the connection name in the broker. */
  name: string;
  reconnectSeconds?: number;
  heartbeatSeconds?: number;
  /** How long `onModuleInit` waits for the broker before letting the app start anyway. */
  connectWaitMs?: number;
}

export interface CallOptions {
  deadlineMs?: number;
  /** Identifies the work across redeliveries (idempotency key); a fresh uuid per call by default. */
  messageId?: string;
}

export interface EmitOptions {
  messageId?: string;
  /** Bound on waiting for the broker's confirm. */
  deadlineMs?: number;
}

const OUTCOME_OF_CODE: Partial<Record<number, ClientOutcome>> = {
  [RpcErrorCode.DeadlineExceeded]: 'deadline_exceeded',
  [RpcErrorCode.Unavailable]: 'unavailable',
};

/**
 * Typed request/response and events over RabbitMQ, written on amqp-connection-manager instead of
 * Nest's ClientRMQ because ClientRMQ (a) is bound to one queue per instance (and so one
 * connection per target service), (b) waits, with buffered publishes, while the broker is away
 * instead of failing fast, (c) leaves calls pending when the connection drops and (d) has no
 * mandatory publishing, so a call to a service whose queue does not exist waits out its deadline.
 * The body stays Nest's packet, so stock Nest clients and servers interoperate with this one.
 *
 * One connection, two channels: calls on a plain channel (the reply is the confirmation, and
 * direct reply-to requires replies to come back to the publishing channel), events on a confirm
 * channel (an emit resolves only once the broker has the message).
 */
export class RpcClient implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(RpcClient.name);
  private readonly pending = new PendingCalls();
  private connection?: AmqpConnectionManager;
  private wrappers: ChannelWrapper[] = [];
  private callChannel?: Channel;
  private eventChannel?: ConfirmChannel;
  private everConnected = false;
  private stopReporting?: () => void;

  constructor(private readonly options: RpcClientOptions) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Starts connecting; resolves when ready or after `connectWaitMs`, whichever is first (calls fail fast until then). */
  async connect(): Promise<void> {
    if (!this.connection) this.open();
    // A failed wait (the client closed meanwhile) must not fail the app's boot; isConnected says it all.
    const ready = Promise.all(this.wrappers.map((wrapper) => wrapper.waitForConnect())).then(() => undefined, () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.options.connectWaitMs ?? 5000)));
    await Promise.race([ready, giveUp]).finally(() => clearTimeout(timer));
    if (!this.isConnected()) this.log.warn(`Not connected to the broker yet; calls fail with Unavailable until it is`);
  }

  /** True when both channels are up with the reply consumer running; for health checks. */
  isConnected(): boolean {
    return this.callChannel !== undefined && this.eventChannel !== undefined;
  }

  /**
   * Sends `params` to the service owning `method` and resolves with its result. Rejects with an
   * RpcError: the handler's error, DeadlineExceeded when no reply came in time, Unavailable when
   * the broker or the target queue is not there (immediately, without waiting for the deadline).
   */
  async call<P extends object, R>(method: RpcMethod<P, R>, params: P, options: CallOptions = {}): Promise<R> {
    const stop = rpcClientDuration().startTimer({ method: method.name });
    try {
      const result = (await this.request(method, params, options)) as R;
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      stop({ outcome: (error instanceof RpcError && OUTCOME_OF_CODE[error.code]) || 'error' });
      throw error;
    }
  }

  /**
   * Publishes a persistent event to the fleet's event exchange, routed by its name to every
   * queue bound to it (none bound: to the unrouted queue); resolves once the broker confirmed it.
   * It never waits for a consumer to exist.
   */
  async emit<P extends object>(event: RpcEvent<P>, params: P, options: EmitOptions = {}): Promise<void> {
    const channel = this.eventChannel;
    if (!channel) throw new RpcError(RpcErrorCode.Unavailable, `Cannot emit ${event.name}: not connected to the message broker`);
    const deadlineMs = options.deadlineMs ?? this.options.defaultDeadlineMs;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new RpcError(RpcErrorCode.DeadlineExceeded, `The broker did not confirm ${event.name} within ${deadlineMs} ms; it may or may not be queued`)), deadlineMs);
      const published = (error: unknown) => {
        clearTimeout(timer);
        if (error) reject(new RpcError(RpcErrorCode.Unavailable, `The broker did not take ${event.name}: ${(error as Error).message ?? error}`));
        else resolve();
      };
      try {
        const encoded = encodePacket({ pattern: event.name, data: params });
        const properties = { ...this.properties(encoded, options.messageId, randomUUID()), mandatory: false };
        channel.publish(EVENTS_EXCHANGE, event.name, encoded.body, properties, published);
      } catch (error) {
        published(error);
      }
    });
  }

  /** How many published events no queue was bound to (waiting in the unrouted queue); undefined while disconnected. */
  async unroutedEvents(): Promise<number | undefined> {
    const channel = this.eventChannel;
    if (!channel) return undefined;
    const { messageCount } = await channel.checkQueue(UNROUTED_EVENTS_QUEUE);
    return messageCount;
  }

  async close(): Promise<void> {
    this.stopReporting?.();
    this.pending.rejectAll(new RpcError(RpcErrorCode.Unavailable, 'The RPC client was closed before the reply arrived'));
    const connection = this.connection;
    this.connection = undefined;
    this.callChannel = undefined;
    this.eventChannel = undefined;
    await Promise.allSettled(this.wrappers.map((wrapper) => wrapper.close()));
    this.wrappers = [];
    await connection?.close();
  }

  private request<P extends object, R>(method: RpcMethod<P, R>, params: P, options: CallOptions): Promise<unknown> {
    const channel = this.callChannel;
    if (!channel) return Promise.reject(new RpcError(RpcErrorCode.Unavailable, `Cannot call ${method.name}: not connected to the message broker`));
    const deadlineMs = options.deadlineMs ?? this.options.defaultDeadlineMs;
    const correlationId = randomUUID();
    let encoded: EncodedPacket;
    try {
      encoded = encodePacket({ pattern: method.name, data: params, id: correlationId });
    } catch (error) {
      return Promise.reject(new RpcError(RpcErrorCode.InvalidParams, `Cannot serialise the params of ${method.name}: ${(error as Error).message}`));
    }
    const reply = this.pending.add(correlationId, method.name, deadlineMs);
    try {
      channel.publish('', method.queue, encoded.body, this.properties(encoded, options.messageId, correlationId, Date.now() + deadlineMs));
    } catch (error) {
      this.pending.reject(correlationId, new RpcError(RpcErrorCode.Unavailable, `Cannot call ${method.name}: ${(error as Error).message}`));
    }
    return reply;
  }

  private properties(encoded: EncodedPacket, messageId: string | undefined, correlationId: string, deadline?: number): Options.Publish {
    const headers: Record<string, unknown> = { [REQUEST_ID_HEADER]: normaliseRequestId(requestContext.requestId()), ...attachmentHeaders(encoded) };
    if (deadline !== undefined) headers[DEADLINE_HEADER] = deadline;
    return {
      messageId: messageId ?? randomUUID(),
      correlationId,
      replyTo: deadline !== undefined ? DIRECT_REPLY_TO : undefined,
      persistent: true,
      mandatory: true,
      contentType: encoded.contentType,
      timestamp: Math.floor(Date.now() / 1000),
      headers,
    };
  }

  private open(): void {
    this.stopReporting = reportUnroutedEvents(() => this.unroutedEvents());
    const { url, name, heartbeatSeconds, reconnectSeconds } = this.options;
    const connection = connect([url], {
      heartbeatIntervalInSeconds: heartbeatSeconds ?? 5,
      reconnectTimeInSeconds: reconnectSeconds ?? 1,
      connectionOptions: { noDelay: true, clientProperties: { connection_name: name } },
    });
    // Calls made in one event-loop turn leave in one socket write.
    connection.on('connect', ({ connection: model }) => coalesceWrites(model));
    connection.on('disconnect', ({ err }) => this.log.warn(`Lost the broker connection: ${err?.message ?? 'closed'}`));
    connection.on('connectFailed', ({ err }) => this.log.debug(`Broker connection attempt failed: ${err?.message}`));
    this.connection = connection;
    this.wrappers = [
      connection.createChannel({ json: false, confirm: false, setup: (channel: Channel) => this.setupCallChannel(channel) }),
      connection.createChannel({ json: false, confirm: true, setup: (channel: ConfirmChannel) => this.setupEventChannel(channel) }),
    ];
    // The wrappers retry a failed setup themselves; without a listener an 'error' would crash the process.
    for (const wrapper of this.wrappers) wrapper.on('error', (error: Error) => this.log.warn(`Channel error: ${error.message}`));
  }

  private async setupCallChannel(channel: Channel): Promise<void> {
    channel.on('return', (message: Message) => {
      const method = decodeRequest(message.content, message.properties.headers)?.pattern ?? '';
      this.pending.reject(message.properties.correlationId, this.noQueue(method, message.fields.routingKey));
    });
    channel.once('close', () => {
      if (this.callChannel !== channel) return;
      this.callChannel = undefined;
      // Replies are addressed to this channel; once it is gone they can never arrive.
      this.pending.rejectAll(new RpcError(RpcErrorCode.Unavailable, 'Lost the broker connection before the reply arrived; the call may or may not have been handled'));
    });
    await channel.consume(DIRECT_REPLY_TO, (message) => this.onReply(message), { noAck: true });
    this.callChannel = channel;
    this.markConnected();
  }

  private async setupEventChannel(channel: ConfirmChannel): Promise<void> {
    await assertEventExchanges(channel);
    channel.once('close', () => {
      if (this.eventChannel === channel) this.eventChannel = undefined;
    });
    this.eventChannel = channel;
    this.markConnected();
  }

  private markConnected(): void {
    if (!this.isConnected()) return;
    this.log.log(this.everConnected ? 'Reconnected to the broker' : 'Connected to the broker');
    this.everConnected = true;
  }

  private onReply(message: ConsumeMessage | null): void {
    if (!message) return;
    const id = message.properties.correlationId;
    const packet = decodeReply(message.content, message.properties.headers);
    if (!packet) {
      this.pending.reject(id, new RpcError(RpcErrorCode.ParseError, 'The reply is not a reply packet'));
      return;
    }
    if (packet.err !== undefined && packet.err !== null) this.pending.reject(id, RpcError.fromWire(packet.err));
    else this.pending.resolve(id, packet.response);
  }

  private noQueue(contract: string, queue: string): RpcError {
    return new RpcError(RpcErrorCode.Unavailable, `No queue ${queue} for ${contract || queue}: its service has never started here, or the queue was deleted`);
  }
}

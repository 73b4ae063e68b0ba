import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, REDIS_SUBSCRIBER, RedisChannel } from '@fleet/redis';
import { CHAT_RECONCILE_INTERVAL_MS, CHAT_REDIS_CHANNEL } from './chat.constants';
import { chatMetrics } from './chat.metrics';
import { OutboundMessage } from './chat.types';
import { RoomFeeds } from './room-feeds';

/**
 * Carries stored messages between base instances over Redis pub/sub. Pub/sub is at-most-once and
 * Redis may be down, so it is only the fast path: local members get a local sender's message
 * directly, and RoomFeeds.reconcile() reads from Postgres whatever pub/sub lost (every period,
 * at once while the subscription is down, and right after it comes back).
 */
@Injectable()
export class ChatFanout implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ChatFanout.name);
  private readonly channel: RedisChannel;
  private reconciling = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_SUBSCRIBER) subscriber: Redis,
    private readonly feeds: RoomFeeds,
  ) {
    this.channel = new RedisChannel(redis, subscriber, CHAT_REDIS_CHANNEL, {
      onMessage: (data) => this.onMessage(data),
      // Whatever was published while this instance was not listening is read from Postgres.
      onSubscribed: () => this.reconcile(true),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.channel.open();
    this.timer = setInterval(() => void this.reconcile(!this.channel.listening), CHAT_RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.channel.close();
  }

  /** Delivers a just-stored message here at once, and to the other instances through Redis. */
  publish(message: OutboundMessage): void {
    this.feeds.receive(message);
    // Local sockets are written when this turn of the event loop ends (coalesceSocketWrites, an
    // earlier setImmediate): publishing after them keeps the sender's own instance the first to deliver.
    // A failed publish costs the other instances the reconcile period (they read it from Postgres).
    setImmediate(() => void this.channel.publish(message.data).then((published) => published || chatMetrics.publishFailures.inc()));
  }

  private onMessage(data: Buffer): void {
    let frame: { room?: unknown; seq?: unknown };
    try {
      frame = JSON.parse(data.toString());
    } catch {
      this.logger.warn(`ignored a non-JSON message on ${CHAT_REDIS_CHANNEL}`);
      return;
    }
    if (typeof frame.room !== 'string' || !Number.isSafeInteger(frame.seq)) return;
    this.feeds.receive({ room: frame.room, seq: frame.seq as number, data });
  }

  private async reconcile(immediate: boolean): Promise<void> {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      await this.feeds.reconcile(immediate);
    } catch (error) {
      this.logger.debug(`reconcile skipped: ${describe(error)}`);
    } finally {
      this.reconciling = false;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, REDIS_SUBSCRIBER } from '@fleet/redis';
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
  private subscribed = false;
  private reconciling = false;
  private timer: NodeJS.Timeout | undefined;
  private publishFailing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    private readonly feeds: RoomFeeds,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriber.on('messageBuffer', this.onMessage);
    this.subscriber.on('ready', this.onReady);
    this.subscriber.on('close', this.onClose);
    if (this.subscriber.status === 'ready') void this.onReady();
    this.timer = setInterval(() => void this.reconcile(!this.subscribed), CHAT_RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.subscriber.off('messageBuffer', this.onMessage);
    this.subscriber.off('ready', this.onReady);
    this.subscriber.off('close', this.onClose);
  }

  /** Delivers a just-stored message here at once, and to the other instances through Redis. */
  publish(message: OutboundMessage): void {
    this.feeds.receive(message);
    // Local sockets are written when this turn of the event loop ends (coalesceSocketWrites, an
    // earlier setImmediate): publishing after them keeps the sender's own instance the first to deliver.
    setImmediate(() => this.publishToRedis(message));
  }

  private publishToRedis(message: OutboundMessage): void {
    this.redis.publish(CHAT_REDIS_CHANNEL, message.data).then(
      () => {
        if (this.publishFailing) this.logger.log('publishing to Redis works again');
        this.publishFailing = false;
      },
      (error: unknown) => {
        chatMetrics.publishFailures.inc();
        // One line per outage, not one per message.
        if (!this.publishFailing) this.logger.warn(`cannot publish to Redis (other instances will read from Postgres): ${describe(error)}`);
        this.publishFailing = true;
      },
    );
  }

  private readonly onMessage = (channel: Buffer, data: Buffer): void => {
    if (channel.toString() !== CHAT_REDIS_CHANNEL) return;
    let frame: { room?: unknown; seq?: unknown };
    try {
      frame = JSON.parse(data.toString());
    } catch {
      this.logger.warn(`ignored a non-JSON message on ${CHAT_REDIS_CHANNEL}`);
      return;
    }
    if (typeof frame.room !== 'string' || !Number.isSafeInteger(frame.seq)) return;
    this.feeds.receive({ room: frame.room, seq: frame.seq as number, data });
  };

  private readonly onReady = async (): Promise<void> => {
    try {
      // Our own SUBSCRIBE (ioredis also resubscribes): once it is acknowledged, every later
      // publish reaches us, so the catch-up read below leaves no hole behind it.
      await this.subscriber.subscribe(CHAT_REDIS_CHANNEL);
      if (!this.subscribed) this.logger.log(`subscribed to ${CHAT_REDIS_CHANNEL}`);
      this.subscribed = true;
      await this.reconcile(true);
    } catch (error) {
      this.logger.warn(`cannot subscribe to ${CHAT_REDIS_CHANNEL}: ${describe(error)}`);
    }
  };

  private readonly onClose = (): void => {
    if (this.subscribed) this.logger.warn('Redis subscription lost; delivering from Postgres until it is back');
    this.subscribed = false;
  };

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

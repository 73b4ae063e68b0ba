import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';

export interface RedisChannelHandlers {
  /** Each message published on the channel (by any instance, this one included), as bytes. */
  onMessage(payload: Buffer): void;
  /**
   * After each acknowledged subscription, the first and every one after a Redis outage. Pub/sub
   * keeps nothing for a subscriber that was away: whatever must not miss a message catches up here.
   * Messages published from now on arrive.
   */
  onSubscribed?(): Promise<void> | void;
  /** The subscription is gone (the connection closed): messages are missed until onSubscribed. */
  onUnsubscribed?(): void;
}

/**
 * One Redis pub/sub channel between a service's instances: publish on the shared connection,
 * listen on the subscriber connection (REDIS_SUBSCRIBER; a subscribed connection runs nothing
 * else). It subscribes again whenever the subscriber connection is back, and says when it is and
 * is not listening, so a user can tell "nothing was published" from "I was not there"; a publish
 * that fails is logged once per outage, not once per message. Open it before the instance takes
 * requests (in onApplicationBootstrap: Nest awaits it), close it in onModuleDestroy.
 */
export class RedisChannel {
  private readonly logger: Logger;
  private readonly nameBytes: Buffer;
  private subscribed = false;
  private everSubscribed = false;
  private publishFailing = false;
  private opened = false;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    readonly name: string,
    private readonly handlers: RedisChannelHandlers,
  ) {
    this.logger = new Logger(`RedisChannel ${name}`);
    this.nameBytes = Buffer.from(name);
  }

  /** Whether messages published now reach this instance. */
  get listening(): boolean {
    return this.subscribed;
  }

  /** Starts listening; resolves once subscribed, or at once while Redis is away (it subscribes when Redis is back). */
  async open(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    this.subscriber.on('messageBuffer', this.onMessage);
    this.subscriber.on('ready', this.onReady);
    this.subscriber.on('close', this.onClose);
    if (this.subscriber.status === 'ready') await this.onReady();
  }

  close(): void {
    this.opened = false;
    this.subscribed = false;
    this.subscriber.off('messageBuffer', this.onMessage);
    this.subscriber.off('ready', this.onReady);
    this.subscriber.off('close', this.onClose);
  }

  /**
   * Publishes to every instance listening now. Resolves to false when Redis did not take it (the
   * first failure of an outage is logged, and the recovery): the caller decides what a lost
   * message costs. Redis has handed the message to every subscriber's connection when it resolves true.
   */
  async publish(payload: string | Buffer): Promise<boolean> {
    try {
      await this.publisher.publish(this.name, payload);
      if (this.publishFailing) this.logger.log('publishing works again');
      this.publishFailing = false;
      return true;
    } catch (error) {
      if (!this.publishFailing) this.logger.warn(`cannot publish: ${(error as Error).message}`);
      this.publishFailing = true;
      return false;
    }
  }

  private readonly onMessage = (channel: Buffer, payload: Buffer): void => {
    if (channel.equals(this.nameBytes)) this.handlers.onMessage(payload);
  };

  private readonly onReady = async (): Promise<void> => {
    try {
      // Our own SUBSCRIBE (ioredis resubscribes too): once acknowledged, every later publish reaches us.
      await this.subscriber.subscribe(this.name);
    } catch (error) {
      this.logger.warn(`cannot subscribe: ${(error as Error).message}`);
      return;
    }
    if (!this.opened) return;
    if (!this.everSubscribed) this.logger.log('subscribed');
    else if (!this.subscribed) this.logger.log('subscribed again');
    this.everSubscribed = true;
    this.subscribed = true;
    try {
      await this.handlers.onSubscribed?.();
    } catch (error) {
      this.logger.warn(`catching up after subscribing failed: ${(error as Error).message}`);
    }
  };

  private readonly onClose = (): void => {
    if (!this.subscribed) return;
    this.subscribed = false;
    this.logger.warn('subscription lost; subscribing again once Redis is back');
    this.handlers.onUnsubscribed?.();
  };
}

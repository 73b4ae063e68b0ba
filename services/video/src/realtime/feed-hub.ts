import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, REDIS_SUBSCRIBER, RedisChannel } from '@fleet/redis';
import { FeedClient } from './feed-client';
import { FEED_CHANNEL, FeedMessage } from './feed.types';

/**
 * The live feed across instances: telemetry frames go through Redis pub/sub (FEED_CHANNEL), and
 * each instance delivers what arrives to its own sockets subscribed to that drone. Pub/sub is
 * at-most-once; the feed is live data, and the history API has everything that was stored.
 * Stream events reach every instance on their own (a per-instance event queue) and are
 * delivered here directly with {@link deliverHere}.
 */
@Injectable()
export class FeedHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(FeedHub.name);
  private readonly byDrone = new Map<string, Set<FeedClient>>();
  private readonly channel: RedisChannel;

  constructor(@Inject(REDIS) redis: Redis, @Inject(REDIS_SUBSCRIBER) subscriber: Redis) {
    this.channel = new RedisChannel(redis, subscriber, FEED_CHANNEL, { onMessage: (data) => this.onMessage(data) });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.channel.open();
  }

  onModuleDestroy(): void {
    this.channel.close();
  }

  /** To every instance's sockets; a frame published while Redis is down is lost (live data: the history has it). */
  async publish(message: FeedMessage): Promise<void> {
    await this.channel.publish(JSON.stringify(message));
  }

  subscribe(client: FeedClient, droneId: string): void {
    client.drones.add(droneId);
    let clients = this.byDrone.get(droneId);
    if (!clients) this.byDrone.set(droneId, (clients = new Set()));
    clients.add(client);
  }

  unsubscribe(client: FeedClient, droneId: string): void {
    client.drones.delete(droneId);
    const clients = this.byDrone.get(droneId);
    clients?.delete(client);
    if (clients?.size === 0) this.byDrone.delete(droneId);
  }

  leave(client: FeedClient): void {
    for (const droneId of [...client.drones]) this.unsubscribe(client, droneId);
  }

  private onMessage(data: Buffer): void {
    let message: FeedMessage;
    try {
      message = JSON.parse(data.toString()) as FeedMessage;
    } catch {
      this.logger.warn(`ignored a non-JSON message on ${FEED_CHANNEL}`);
      return;
    }
    this.deliverHere(message);
  }

  /** Delivers frames to this instance's own sockets subscribed to the drone. */
  deliverHere(message: FeedMessage): void {
    const clients = this.byDrone.get(message.drone_id);
    if (!clients || !Array.isArray(message.frames)) return;
    for (const frame of message.frames) {
      const encoded = Buffer.from(JSON.stringify(frame));
      for (const client of clients) client.deliver(message.drone_id, message.droppable, frame, encoded);
    }
  }
}

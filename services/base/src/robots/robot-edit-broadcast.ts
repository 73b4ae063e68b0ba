import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, REDIS_SUBSCRIBER, RedisChannel } from '@fleet/redis';
import { RobotDirectory } from './robot-directory';

/** The Redis channel on which a base instance names a robot it has just edited (its client id). */
export const ROBOT_EDITS_CHANNEL = 'base:robots:edited';

/**
 * Makes a robot's edit (a deactivation above all) hold on every base instance at once, not after
 * RobotDirectory's few seconds of caching: the editing instance publishes the robot's client id
 * before it answers, and every instance drops its cached entry when the message arrives, which is
 * before any request that follows the answer can reach it. Pub/sub keeps nothing for a
 * subscriber that is away, so while this instance is not subscribed (at boot, during a Redis
 * outage) its directory does not trust its cache and reads Postgres on every lookup; once the
 * subscription is back, everything cached before it is dropped.
 */
@Injectable()
export class RobotEditBroadcast implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly channel: RedisChannel;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_SUBSCRIBER) subscriber: Redis,
    private readonly directory: RobotDirectory,
  ) {
    this.channel = new RedisChannel(redis, subscriber, ROBOT_EDITS_CHANNEL, {
      onMessage: (clientId) => directory.forget(clientId.toString()),
      // Edits announced while this instance was not listening are lost: start from Postgres.
      onSubscribed: () => directory.forgetAll(),
    });
    directory.cacheTrusted = () => this.channel.listening;
  }

  /** Subscribes before the instance takes requests (Nest awaits this hook before listening). */
  async onApplicationBootstrap(): Promise<void> {
    await this.channel.open();
  }

  /** Whether edits made on other instances reach this one now. */
  get listening(): boolean {
    return this.channel.listening;
  }

  onModuleDestroy(): void {
    this.channel.close();
  }

  /**
   * Drops the robot here, then on every other instance: Redis has handed the message to each
   * subscriber's connection when the publish returns. When Redis fails, the edit still stands and
   * the others see it within RobotDirectory's cache time.
   */
  async announce(clientId: string): Promise<void> {
    this.directory.forget(clientId);
    await this.channel.publish(clientId);
  }
}

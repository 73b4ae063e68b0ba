import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, REDIS_SUBSCRIBER } from '@fleet/redis';
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
  private readonly logger = new Logger(RobotEditBroadcast.name);
  private subscribed = false;
  private publishFailing = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    private readonly directory: RobotDirectory,
  ) {
    directory.cacheTrusted = () => this.subscribed;
  }

  /** Subscribes before the instance takes requests (Nest awaits this hook before listening). */
  async onApplicationBootstrap(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    this.subscriber.on('ready', this.onReady);
    this.subscriber.on('close', this.onClose);
    if (this.subscriber.status === 'ready') await this.onReady();
  }

  /** Whether edits made on other instances reach this one now. */
  get listening(): boolean {
    return this.subscribed;
  }

  onModuleDestroy(): void {
    this.subscriber.off('message', this.onMessage);
    this.subscriber.off('ready', this.onReady);
    this.subscriber.off('close', this.onClose);
  }

  /**
   * Drops the robot here, then on every other instance: Redis has handed the message to each
   * subscriber's connection when the publish returns. When Redis fails, the edit still stands and
   * the others see it within RobotDirectory's cache time.
   */
  async announce(clientId: string): Promise<void> {
    this.directory.forget(clientId);
    try {
      await this.redis.publish(ROBOT_EDITS_CHANNEL, clientId);
      if (this.publishFailing) this.logger.log('announcing robot edits through Redis works again');
      this.publishFailing = false;
    } catch (error) {
      if (!this.publishFailing) this.logger.warn(`cannot announce a robot edit through Redis (other instances see it within seconds): ${(error as Error).message}`);
      this.publishFailing = true;
    }
  }

  private readonly onMessage = (channel: string, clientId: string): void => {
    if (channel === ROBOT_EDITS_CHANNEL) this.directory.forget(clientId);
  };

  private readonly onReady = async (): Promise<void> => {
    try {
      await this.subscriber.subscribe(ROBOT_EDITS_CHANNEL);
      // Edits announced while this instance was not listening are lost: start from Postgres.
      this.directory.forgetAll();
      this.subscribed = true;
    } catch (error) {
      this.logger.warn(`cannot subscribe to ${ROBOT_EDITS_CHANNEL}: ${(error as Error).message}`);
    }
  };

  private readonly onClose = (): void => {
    this.subscribed = false;
  };
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS, REDIS_SUBSCRIBER, RedisChannel } from '@fleet/redis';
import { STREAM_KEYS_CHANNEL } from '../drones/drone.types';
import { DronesRepository } from '../drones/drones.repository';

/** Safety net under the pub/sub announcement of key changes. */
const KEY_RELOAD_PERIOD_MS = 10_000;

export interface StreamKeyGrant {
  droneId: string;
  record: boolean;
}

/** Why a live publish may no longer go on. */
export type KeyRevocation = 'key rotated' | 'drone retired';

/**
 * The ingest's copy of the active stream keys. node-media-server asks synchronously (prePublish
 * has no async hook), so keys are answered from memory: reloaded whenever any instance announces
 * a change over Redis, and every 10 s in case an announcement was lost. After each reload the
 * listener hears about it, so a publisher whose key stopped working is cut off at once.
 */
@Injectable()
export class StreamKeyCache {
  private readonly logger = new Logger(StreamKeyCache.name);
  private byKey = new Map<string, StreamKeyGrant>();
  private activeDrones = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private onReload: () => void = () => undefined;
  private readonly announcements: RedisChannel;

  constructor(
    private readonly drones: DronesRepository,
    @Inject(REDIS) redis: Redis,
    @Inject(REDIS_SUBSCRIBER) subscriber: Redis,
  ) {
    this.announcements = new RedisChannel(redis, subscriber, STREAM_KEYS_CHANNEL, {
      onMessage: () => void this.reloadLogged(),
      // Announcements made while this instance was not listening are lost: reload at once.
      onSubscribed: () => this.reloadLogged(),
    });
  }

  async start(onReload: () => void): Promise<void> {
    this.onReload = onReload;
    await this.reload();
    await this.announcements.open();
    this.timer = setInterval(() => void this.reloadLogged(), KEY_RELOAD_PERIOD_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.announcements.close();
  }

  lookup(streamKey: string): StreamKeyGrant | undefined {
    return this.byKey.get(streamKey);
  }

  /** Null while `streamKey` still belongs to `droneId`; otherwise what happened to it. */
  revocationOf(droneId: string, streamKey: string): KeyRevocation | null {
    if (this.byKey.get(streamKey)?.droneId === droneId) return null;
    return this.activeDrones.has(droneId) ? 'key rotated' : 'drone retired';
  }

  private async reloadLogged(): Promise<void> {
    await this.reload().catch((error: Error) => this.logger.warn(`key reload failed: ${error.message}`));
  }

  private async reload(): Promise<void> {
    const rows = await this.drones.getActiveStreamKeys();
    this.byKey = new Map(rows.map((row) => [row.streamKey, { droneId: row.id, record: row.record }]));
    this.activeDrones = new Set(rows.map((row) => row.id));
    this.onReload();
  }
}

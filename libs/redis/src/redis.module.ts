import { DynamicModule, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';

export const REDIS = Symbol('REDIS');
/** A second connection for SUBSCRIBE: a subscribed Redis connection can run no other command. */
export const REDIS_SUBSCRIBER = Symbol('REDIS_SUBSCRIBER');

export function createRedisClient(url: string, name: string, { subscriber = false } = {}): Redis {
  const logger = new Logger(`redis:${name}`);
  const client = new Redis(url, {
    connectionName: name,
    // Commands fail fast while Redis is down instead of piling up in memory.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    lazyConnect: false,
    // The commands issued in one turn of the event loop (requests that arrived together: a rate
    // limit count each, cache reads) leave as one pipeline, one write and one read for all of them.
    // Not on a subscriber connection, which runs only SUBSCRIBE and friends.
    enableAutoPipelining: !subscriber,
  });
  let reported = false;
  client.on('error', (error) => {
    if (!reported) logger.error(`Redis connection problem: ${error.message}`);
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.log('Redis connection restored');
    reported = false;
  });
  return client;
}

/** How long boot waits for a Redis connection before going on without it (health then says down). */
const READY_WAIT_MS = 10_000;

/**
 * The client once it is ready (or after READY_WAIT_MS). Commands fail fast while it is not
 * (enableOfflineQueue off), so boot-time users (bootstrap hooks that read or write Redis) must
 * not get a client that is still connecting: on a loaded machine the connection can take longer
 * than Nest's init, and such a hook then failed the whole start.
 */
export async function readyRedisClient(url: string, name: string, { subscriber = false, waitMs = READY_WAIT_MS } = {}): Promise<Redis> {
  const client = createRedisClient(url, name, { subscriber });
  if (client.status === 'ready') return client;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, waitMs);
    function done(): void {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    }
    client.once('ready', done);
  });
  return client;
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.redis.quit(), this.subscriber.quit()]);
  }
}

@Module({})
export class RedisModule {
  static forRoot(url: string, clientName: string): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        { provide: REDIS, useFactory: () => readyRedisClient(url, clientName) },
        { provide: REDIS_SUBSCRIBER, useFactory: () => readyRedisClient(url, `${clientName}:sub`, { subscriber: true }) },
        RedisLifecycle,
      ],
      exports: [REDIS, REDIS_SUBSCRIBER],
    };
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { filter, map, Observable, Subject } from 'rxjs';
import { TRANSLATOR_CONFIG, TranslatorConfig } from '../config/translator.config';
import { JOB_CHANGED_CHANNEL } from '../database/migrations/1767700000000-notify-job-changes';

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10_000;
/** Told to every stream when notifications may have been missed (the connection was down). */
const RESYNC = Symbol('resync');

/**
 * The job-changed notifications of the whole fleet on one LISTEN connection per API instance:
 * the trigger fires whoever wrote the row, so any instance can serve any job's stream. While the
 * connection is down notifications are lost, so on every (re)connect each stream is told to read
 * its job again.
 */
@Injectable()
export class JobChangeFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobChangeFeed.name);
  private readonly changes = new Subject<string | typeof RESYNC>();
  private client?: Client;
  private retryMs = RECONNECT_MIN_MS;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(@Inject(TRANSLATOR_CONFIG) private readonly config: TranslatorConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
    this.changes.complete();
  }

  /** Emits whenever job `id` may have changed. */
  changesOf(id: string): Observable<void> {
    return this.changes.pipe(
      filter((change) => change === id || change === RESYNC),
      map(() => undefined),
    );
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.db.url, application_name: `${this.config.instanceId} job-changes` });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      this.reconnectLater(client, error);
    };
    client.on('notification', (message) => {
      if (message.channel === JOB_CHANGED_CHANNEL && message.payload) this.changes.next(message.payload);
    });
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${JOB_CHANGED_CHANNEL}`);
      if (this.retryMs > RECONNECT_MIN_MS) this.logger.log('Listening to job changes again');
      this.client = client;
      this.retryMs = RECONNECT_MIN_MS;
      this.changes.next(RESYNC);
    } catch (error) {
      onLost(error as Error);
    }
  }

  private reconnectLater(client: Client, error?: Error): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`Job change notifications interrupted (${error?.message ?? 'connection ended'}); reconnecting in ${this.retryMs} ms`);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RECONNECT_MAX_MS);
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EngineerChangedEvent, EngineerCreatedEvent, EngineerDeactivatedEvent, EngineerEventParams, RpcEvent } from '@fleet/contracts';
import { RpcClient } from '@fleet/messaging';
import { EngineersRepository } from './engineers.repository';

const EVENTS: ReadonlyMap<string, RpcEvent<EngineerEventParams>> = new Map(
  [EngineerCreatedEvent, EngineerChangedEvent, EngineerDeactivatedEvent].map((event) => [event.name, event]),
);
const BATCH = 100;
const IDLE_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Publishes the engineer outbox over RabbitMQ in commit order: polls every second (and right
 * after a change on this instance), stops at the first failure so a later event never
 * overtakes an earlier one, and backs off while publishing fails (for instance while the
 * consumer's queue does not exist yet: the broker returns the message and emit rejects).
 * Message ids are `base-engineer-event-<outbox id>`, so a consumer can drop a duplicate when a
 * crash between the broker's confirm and the commit republishes one.
 */
@Injectable()
export class EngineerEventRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EngineerEventRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private failures = 0;
  private lastError?: string;
  private stopped = false;

  constructor(
    private readonly engineers: EngineersRepository,
    private readonly rpc: RpcClient,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(IDLE_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Publish soon (after a change), unless a backoff is running. */
  kick(): void {
    if (this.failures === 0) this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.publishPending().finally(() => (this.running = undefined));
    await this.running;
    const backoff = this.failures ? Math.min(IDLE_MS * 2 ** Math.min(this.failures, 10), MAX_BACKOFF_MS) : IDLE_MS;
    this.schedule(backoff);
  }

  private async publishPending(): Promise<void> {
    let failure: string | undefined;
    try {
      await this.engineers.relay(BATCH, async (rows, manager) => {
        for (const row of rows) {
          failure = await this.publish(row.id, row.event, row.payload);
          // The failure is recorded (and committed); the rest waits for the next round, in order.
          if (failure) return this.engineers.markFailed(manager, row.id, failure);
          await this.engineers.markPublished(manager, row.id);
        }
      });
    } catch (error) {
      failure = (error as Error).message;
    }
    if (!failure) {
      if (this.failures) this.logger.log('Engineer events flow again');
      this.failures = 0;
      this.lastError = undefined;
      return;
    }
    this.failures += 1;
    // One line per distinct problem, not one per retry.
    if (failure !== this.lastError) this.logger.warn(`Engineer events wait in the outbox: ${failure}`);
    this.lastError = failure;
  }

  /** The error message, or undefined once the broker confirmed the event. */
  private async publish(id: string, name: string, payload: Record<string, unknown>): Promise<string | undefined> {
    const event = EVENTS.get(name);
    if (!event) return `Outbox row ${id} names an unknown event ${name}`;
    try {
      await this.rpc.emit(event, payload as unknown as EngineerEventParams, { messageId: `base-engineer-event-${id}` });
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

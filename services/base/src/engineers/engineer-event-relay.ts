import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EngineerChangedEvent, EngineerCreatedEvent, EngineerDeactivatedEvent, EngineerEventParams, RpcEvent } from '@fleet/contracts';
import { RpcClient } from '@fleet/messaging';
import { PollingWorker } from '@fleet/platform';
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
  private readonly worker = new PollingWorker({
    name: EngineerEventRelay.name,
    intervalMs: IDLE_MS,
    maxBackoffMs: MAX_BACKOFF_MS,
    tick: () => this.publishPending(),
    failing: (reason) => `Engineer events wait in the outbox: ${reason}`,
    recovered: 'Engineer events flow again',
  });

  constructor(
    private readonly engineers: EngineersRepository,
    private readonly rpc: RpcClient,
  ) {}

  onApplicationBootstrap(): void {
    this.worker.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }

  /** Publish soon (after a change), unless a backoff is running. */
  kick(): void {
    this.worker.poke();
  }

  /** One round; throws (after recording the failure on its row) when an event could not be published. */
  private async publishPending(): Promise<void> {
    let failure: string | undefined;
    await this.engineers.relay(BATCH, async (rows, manager) => {
      for (const row of rows) {
        failure = await this.publish(row.id, row.event, row.payload);
        // The failure is recorded (and committed); the rest waits for the next round, in order.
        if (failure) return this.engineers.markFailed(manager, row.id, failure);
        await this.engineers.markPublished(manager, row.id);
      }
    });
    if (failure) throw new Error(failure);
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

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PollingWorker } from '@fleet/platform';
import { STORE_CONFIG, StoreConfig } from '../config/store.config';
import { OutboxRepository } from './outbox.repository';
import { OutboxRow } from './outbox.types';
import { signWebhook } from './webhook-signature';

const BATCH = 10;
const MAX_BACKOFF_MS = 300_000;

/**
 * Delivers outbox records to the accounting/CRM webhook, at least once: POST the JSON payload
 * with `Idempotency-Key` (the record's key; the receiver dedupes on it), `X-Fleet-Event` and the
 * HMAC signature. 2xx is delivered; anything else (or no answer within the timeout) is retried with
 * exponential backoff until `maxAttempts`, then the record is `failed` and waits for an operator's
 * retry. Without a configured webhook nothing runs and records stay `pending`.
 * Rounds run every STORE_EXPORT_POLL_MS; a failed round (database away) is simply tried again at
 * the next one, as each record carries its own backoff.
 */
@Injectable()
export class OutboxDeliverer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxDeliverer.name);
  private readonly worker: PollingWorker;

  constructor(
    private readonly outbox: OutboxRepository,
    @Inject(STORE_CONFIG) private readonly config: StoreConfig,
  ) {
    const { pollMs } = config.export;
    this.worker = new PollingWorker({
      name: OutboxDeliverer.name,
      intervalMs: pollMs,
      maxBackoffMs: pollMs,
      tick: async () => void (await this.deliverDue()),
      failing: (reason) => `Outbox round failed: ${reason}`,
      recovered: 'Outbox rounds succeed again',
    });
  }

  onApplicationBootstrap(): void {
    if (!this.config.export.webhookUrl) {
      this.logger.log('No STORE_EXPORT_WEBHOOK_URL: outbox records are kept, not delivered');
      return;
    }
    this.worker.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.worker.stop();
  }

  /** One round: deliver every due record, batch by batch. */
  async deliverDue(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const lease = this.config.export.timeoutMs * 2 + 1000;
      const due = await this.outbox.claimDue(BATCH, lease);
      for (const row of due) if (await this.deliver(row)) delivered += 1;
      if (due.length < BATCH || this.worker.stopping) return delivered;
    }
  }

  private async deliver(row: OutboxRow): Promise<boolean> {
    const { webhookUrl, secret, timeoutMs, maxAttempts, backoffMs } = this.config.export;
    const attempts = row.attempts + 1;
    const body = JSON.stringify(row.payload);
    let problem: string;
    try {
      const response = await fetch(webhookUrl!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': row.idempotency_key,
          'x-fleet-event': row.event,
          'x-fleet-signature': signWebhook(secret!, body),
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) {
        await this.outbox.markDelivered(row.id, attempts);
        this.logger.log(`Outbox ${row.id} (${row.event} of order ${row.order_id}) delivered on attempt ${attempts}`);
        return true;
      }
      problem = `HTTP ${response.status}`;
    } catch (error) {
      problem = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${(error as Error).message}`;
    }
    const retryIn = attempts >= maxAttempts ? null : Math.min(backoffMs * 2 ** (attempts - 1), MAX_BACKOFF_MS);
    await this.outbox.markAttemptFailed(row.id, attempts, problem, retryIn);
    if (retryIn === null) this.logger.error(`Outbox ${row.id} failed for good after ${attempts} attempts: ${problem}`);
    else this.logger.warn(`Outbox ${row.id} attempt ${attempts} failed (${problem}); retry in ${retryIn} ms`);
    return false;
  }
}

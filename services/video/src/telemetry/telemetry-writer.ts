import { Injectable } from '@nestjs/common';
import { TelemetryRepository, TelemetryRow } from './telemetry.repository';

/** Rows of one INSERT at most; a larger backlog is written in several. */
const MAX_ROWS_PER_INSERT = 5000;

interface Pending {
  rows: TelemetryRow[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for telemetry: every commit waits for a WAL flush (tens of ms on this disk), so
 * requests that arrive while one INSERT is in flight are written together by the next one. A
 * caller still hears back only after its rows are committed; alone, it is written at once.
 */
@Injectable()
export class TelemetryWriter {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly repository: TelemetryRepository) {}

  write(rows: TelemetryRow[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (this.queue.length > 0 && (batch.length === 0 || count + this.queue[0].rows.length <= MAX_ROWS_PER_INSERT)) {
        const next = this.queue.shift()!;
        batch.push(next);
        count += next.rows.length;
      }
      try {
        await this.repository.insertMany(batch.flatMap((pending) => pending.rows));
        batch.forEach((pending) => pending.resolve());
      } catch (error) {
        batch.forEach((pending) => pending.reject(error));
      }
    }
    this.flushing = false;
  }
}

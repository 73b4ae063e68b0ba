import { Injectable, Logger, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { mapJob } from './jobs.dto';
import { JobRecord, TERMINAL_STATUSES } from './job.types';
import { JobChangeFeed } from './job-change-feed';
import { JobsRepository } from './jobs.repository';

/** A running stage's progress is estimated from its elapsed time, so its view moves between changes. */
const RUNNING_REFRESH_MS = 1000;
/** A quiet stream (a queued job) says something this often, so proxies keep it open. */
const KEEPALIVE_MS = 15_000;

/**
 * A job's progress as server-sent events (`event: job`, data = the job's view), sent whenever the
 * view changes; the stream ends when the job does. The job's row is read again only when Postgres
 * notifies a change of it (see JobChangeFeed), so a stream costs no polling; between changes, a
 * running job's view is re-rendered from the row it has.
 */
@Injectable()
export class JobEvents {
  private readonly logger = new Logger(JobEvents.name);

  constructor(
    private readonly jobs: JobsRepository,
    private readonly feed: JobChangeFeed,
  ) {}

  stream(id: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let job: JobRecord | undefined;
      let lastPayload = '';
      let lastSent = Date.now();
      let reading: Promise<void> | undefined;
      let readAgain = false;

      const send = () => {
        if (!job) return;
        const payload = JSON.stringify(mapJob(job));
        if (payload !== lastPayload) {
          lastPayload = payload;
          lastSent = Date.now();
          subscriber.next({ type: 'job', data: payload });
        }
        if (TERMINAL_STATUSES.includes(job.status)) subscriber.complete();
      };
      // One read at a time; a change announced during a read causes one more read after it.
      const read = (): void => {
        if (reading) return void (readAgain = true);
        reading = (async () => {
          do {
            readAgain = false;
            job = await this.jobs.getById(id);
            if (!job) return subscriber.complete();
            send();
          } while (readAgain && !subscriber.closed);
        })()
          .catch((error: Error) => this.logger.warn(`Job stream ${id}: ${error.message}`))
          .finally(() => (reading = undefined));
      };

      // Subscribed before the first read, so no change between the two is missed.
      const changes = this.feed.changesOf(id).subscribe(read);
      const timer = setInterval(() => {
        if (job?.status === 'running') send();
        if (!subscriber.closed && Date.now() - lastSent > KEEPALIVE_MS) {
          subscriber.next({ comment: 'keepalive' });
          lastSent = Date.now();
        }
      }, RUNNING_REFRESH_MS);
      read();
      return () => {
        changes.unsubscribe();
        clearInterval(timer);
      };
    });
  }
}

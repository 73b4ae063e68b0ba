import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { mapJob } from './jobs.dto';
import { TERMINAL_STATUSES } from './job.types';
import { JobsRepository } from './jobs.repository';

const POLL_MS = 500;
const KEEPALIVE_MS = 15_000;

/**
 * Progress pushed as server-sent events (`event: job`, data = the job's view). Any API instance
 * can serve the stream of any job: it watches the job's row (polling by primary key), so the
 * instance running the job need not be the one the client reached.
 */
@Injectable()
export class JobEvents {
  private readonly log = new Logger(JobEvents.name);

  constructor(private readonly jobs: JobsRepository) {}

  stream(id: string, req: Request, res: Response): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream.
      'x-accel-buffering': 'no',
    });
    let lastPayload = '';
    let closed = false;
    let lastWrite = Date.now();
    const tick = async () => {
      if (closed) return;
      try {
        const job = await this.jobs.getById(id);
        if (!job) return finish();
        // A running stage's progress moves with time, so a running job is re-sent on every poll.
        const payload = JSON.stringify(mapJob(job));
        if (payload !== lastPayload) {
          res.write(`event: job\ndata: ${payload}\n\n`);
          lastPayload = payload;
          lastWrite = Date.now();
        }
        if (TERMINAL_STATUSES.includes(job.status)) return finish();
        if (Date.now() - lastWrite > KEEPALIVE_MS) {
          res.write(': keepalive\n\n');
          lastWrite = Date.now();
        }
      } catch (error) {
        this.log.warn(`Job stream ${id}: ${(error as Error).message}`);
      }
      if (!closed) timer = setTimeout(() => void tick(), POLL_MS);
    };
    let timer = setTimeout(() => void tick(), 0);
    const finish = () => {
      closed = true;
      clearTimeout(timer);
      res.end();
    };
    req.on('close', () => {
      closed = true;
      clearTimeout(timer);
    });
  }
}

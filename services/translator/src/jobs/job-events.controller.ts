import { Controller, MessageEvent, Param, ParseUUIDPipe, Sse, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { Role } from '@fleet/contracts';
import { Roles } from '@fleet/auth';
import { ApiEnvelopeError } from '../common/api-envelope';
import { EnvelopeExceptionFilter } from '../common/envelope';
import { JobEvents } from './job-events';
import { JobsService } from './jobs.service';

/**
 * A job's progress as server-sent events. Not in the envelope (an event stream is not JSON);
 * an unknown job or a refused caller gets the envelope's error before the stream starts.
 */
@Controller('jobs')
@Roles(Role.Operator)
@UseFilters(EnvelopeExceptionFilter)
export class JobEventsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly events: JobEvents,
  ) {}

  /** `event: job` with the job's view whenever it changes; the stream ends when the job does. */
  @Sse(':id/events')
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'Server-sent events: `event: job`, `data:` the job as JSON (the JobView schema) on every change; comments keep a quiet stream open',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiEnvelopeError()
  async stream(@Param('id', ParseUUIDPipe) id: string): Promise<Observable<MessageEvent>> {
    await this.jobs.getRecord(id);
    return this.events.stream(id);
  }
}

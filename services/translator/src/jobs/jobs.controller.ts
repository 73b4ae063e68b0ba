import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Page, Role } from '@fleet/contracts';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { currentRequestId } from '@fleet/openapi';
import { ApiEnvelope, ApiEnvelopeError } from '../common/api-envelope';
import { EnvelopeExceptionFilter, EnvelopeInterceptor, EnvelopeMessage, errorEnvelope } from '../common/envelope';
import { CreateJobDto, ListJobsQuery } from './jobs.dto';
import { JobsService, RESULT_CONTENT_TYPES } from './jobs.service';
import { DubMisfitView, JobView } from './job.view';
import { sendResult } from './result-download';

/** The download's media types without their charset parameter. */
const RESULT_MEDIA_TYPES = [...new Set(Object.values(RESULT_CONTENT_TYPES).map((type) => type.split(';')[0]))];

/** Jobs; every answer but the SSE stream and result downloads is in the translator envelope. */
@Controller('jobs')
@Roles(Role.Operator)
@UseInterceptors(EnvelopeInterceptor)
@UseFilters(EnvelopeExceptionFilter)
@ApiExtraModels(DubMisfitView)
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  @EnvelopeMessage('Job created')
  @ApiEnvelope(JobView, { status: 201, message: 'Job created', description: 'The job, queued; follow it with `/jobs/{id}/events`' })
  create(@Body() dto: CreateJobDto, @CurrentUser() user: AuthUser): Promise<JobView> {
    return this.jobs.create(dto, user.sub);
  }

  @Get()
  @EnvelopeMessage('Jobs')
  @ApiEnvelope(JobView, { page: true, message: 'Jobs', description: 'A page of jobs, newest first' })
  list(@Query() query: ListJobsQuery): Promise<Page<JobView>> {
    return this.jobs.list(query);
  }

  @Get(':id')
  @EnvelopeMessage('Job')
  @ApiEnvelope(JobView, { message: 'Job', description: 'The job' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.get(id);
  }

  @Delete(':id')
  @HttpCode(200)
  @EnvelopeMessage('Job cancelled')
  @ApiEnvelope(JobView, { message: 'Job cancelled', description: 'The job as it is afterwards (a job that had already ended is left as it was)' })
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<JobView> {
    return this.jobs.cancel(id);
  }

  /** One result file of one target language, as an attachment: `output` is srt, vtt, transcript, dub or video. */
  @Get(':id/results/:target/:output')
  @ApiProduces(...RESULT_MEDIA_TYPES)
  @ApiOkResponse({
    description: 'The file (an envelope error if it is not ready)',
    content: Object.fromEntries(RESULT_MEDIA_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])),
  })
  @ApiEnvelopeError()
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('target') target: string,
    @Param('output') output: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.jobs.resultFile(id, target, output);
    if ((await sendResult(req, res, file, (range) => this.jobs.openResult(file, range))) === 'missing') {
      const { statusCode, body } = errorEnvelope(new NotFoundException('The result file is missing from storage'), currentRequestId(res));
      res.status(statusCode).json(body);
    }
  }
}

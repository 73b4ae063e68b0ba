import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res, UseFilters, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { Page, Role, TranslatorJobView } from '@fleet/contracts';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { currentRequestId } from '@fleet/openapi';
import { EnvelopeExceptionFilter, EnvelopeInterceptor, EnvelopeMessage, errorEnvelope } from '../common/envelope';
import { CreateJobDto, ListJobsQuery } from './jobs.dto';
import { JobsService } from './jobs.service';

/** Jobs; every answer but the SSE stream and result downloads is in the translator envelope. */
@Controller('jobs')
@Roles(Role.Operator)
@UseInterceptors(EnvelopeInterceptor)
@UseFilters(EnvelopeExceptionFilter)
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post()
  @EnvelopeMessage('Job created')
  create(@Body() dto: CreateJobDto, @CurrentUser() user: AuthUser): Promise<TranslatorJobView> {
    return this.jobs.create(dto, user.sub);
  }

  @Get()
  @EnvelopeMessage('Jobs')
  list(@Query() query: ListJobsQuery): Promise<Page<TranslatorJobView>> {
    return this.jobs.list(query);
  }

  @Get(':id')
  @EnvelopeMessage('Job')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TranslatorJobView> {
    return this.jobs.get(id);
  }

  @Delete(':id')
  @HttpCode(200)
  @EnvelopeMessage('Job cancelled')
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<TranslatorJobView> {
    return this.jobs.cancel(id);
  }

  @Get(':id/results/:target/:output')
  async download(@Param('id', ParseUUIDPipe) id: string, @Param('target') target: string, @Param('output') output: string, @Res() res: Response): Promise<void> {
    const file = await this.jobs.resultFile(id, target, output);
    // The storage may sit under a dot folder (.dev/): allow it, the path is ours, never the caller's.
    const headers = { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` };
    res.sendFile(file.path, { dotfiles: 'allow', headers }, (error?: Error) => {
      if (error && !res.headersSent) {
        const { statusCode, body } = errorEnvelope(new NotFoundException('The result file is missing from storage'), currentRequestId(res));
        res.status(statusCode).json(body);
      }
    });
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Role, TranslatorJobView } from '@fleet/contracts';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { CreateJobDto, ListJobsQuery } from './jobs.dto';
import { JobEvents } from './job-events';
import { JobsService } from './jobs.service';

@Controller('jobs')
@Roles(Role.Operator)
export class JobsController {
  constructor(
    private readonly jobs: JobsService,
    private readonly events: JobEvents,
  ) {}

  @Post()
  create(@Body() dto: CreateJobDto, @CurrentUser() user: AuthUser): Promise<TranslatorJobView> {
    return this.jobs.create(dto, user.sub);
  }

  @Get()
  list(@Query() query: ListJobsQuery): Promise<{ jobs: TranslatorJobView[]; limit: number; offset: number }> {
    return this.jobs.list(query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TranslatorJobView> {
    return this.jobs.get(id);
  }

  /** Server-sent events: the job's view whenever it changes; the stream ends when the job does. */
  @Get(':id/events')
  async stream(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.jobs.getRecord(id);
    this.events.stream(id, req, res);
  }

  @Delete(':id')
  @HttpCode(200)
  cancel(@Param('id', ParseUUIDPipe) id: string): Promise<TranslatorJobView> {
    return this.jobs.cancel(id);
  }

  @Get(':id/results/:target/:output')
  async download(@Param('id', ParseUUIDPipe) id: string, @Param('target') target: string, @Param('output') output: string, @Res() res: Response): Promise<void> {
    const file = await this.jobs.resultFile(id, target, output);
    // The storage may sit under a dot folder (.dev/): allow it, the path is ours, never the caller's.
    const headers = { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` };
    res.sendFile(file.path, { dotfiles: 'allow', headers }, (error?: Error) => {
      if (error && !res.headersSent) res.status(404).json({ statusCode: 404, error: 'Not Found', message: `The result file is missing from storage` });
    });
  }
}

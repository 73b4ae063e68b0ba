import type { Response } from 'express';
import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { PageQueryDto } from '../common/paging.dto';
import { RecordingsService, RecordingView } from './recordings.service';

@Controller('drones/:id/recordings')
@Roles(Role.Operator, Role.Admin)
export class RecordingsController {
  constructor(private readonly service: RecordingsService) {}

  @Get()
  list(@Param('id', ParseUUIDPipe) id: string, @Query() page: PageQueryDto): Promise<Page<RecordingView>> {
    return this.service.list(id, page);
  }

  @Get(':file')
  async download(@Param('id', ParseUUIDPipe) id: string, @Param('file') file: string, @Res() res: Response): Promise<void> {
    const full = await this.service.fileOf(id, file);
    res.download(full, file, { headers: { 'Content-Type': 'video/mp4' } });
  }
}

import type { Response } from 'express';
import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { PageQueryDto } from '../common/paging.dto';
import { RecordingsService } from './recordings.service';
import { RecordingView } from './recordings.view';

@Controller('drones/:id/recordings')
@Roles(Role.Operator, Role.Admin)
export class RecordingsController {
  constructor(private readonly service: RecordingsService) {}

  @Get()
  @ApiPage(RecordingView)
  list(@Param('id', ParseUUIDPipe) id: string, @Query() page: PageQueryDto): Promise<Page<RecordingView>> {
    return this.service.list(id, page);
  }

  @Get(':file')
  @ApiOkResponse({ description: 'The MP4 segment, as a download.', content: { 'video/mp4': {} } })
  async download(@Param('id', ParseUUIDPipe) id: string, @Param('file') file: string, @Res() res: Response): Promise<void> {
    const full = await this.service.fileOf(id, file);
    // fileOf allows only the recorder's own file names; the directory itself may be hidden (the default `.dev/…`).
    res.download(full, file, { headers: { 'Content-Type': 'video/mp4' }, dotfiles: 'allow' });
  }
}

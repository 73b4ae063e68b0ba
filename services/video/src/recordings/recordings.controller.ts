import type { Response } from 'express';
import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { RecordingsService, RecordingView } from './recordings.service';

@Controller('drones/:id/recordings')
@Roles(Role.Operator, Role.Admin)
export class RecordingsController {
  constructor(private readonly service: RecordingsService) {}

  @Get()
  list(@Param('id', ParseUUIDPipe) id: string): Promise<RecordingView[]> {
    return this.service.list(id);
  }

  @Get(':file')
  async download(@Param('id', ParseUUIDPipe) id: string, @Param('file') file: string, @Res() res: Response): Promise<void> {
    const full = await this.service.fileOf(id, file);
    res.download(full, file, { headers: { 'Content-Type': 'video/mp4' } });
  }
}

import type { Request, Response } from 'express';
import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Public, Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { PlaybackService } from './playback.service';
import { PlayUrlView } from './playback.view';

const FLV_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.flv$/i;

@Controller()
export class PlaybackController {
  constructor(private readonly service: PlaybackService) {}

  /** A short-lived URL a player without headers (a <video> tag, ffplay) can open. */
  @Post('drones/:id/play-url')
  @Roles(Role.Operator, Role.Admin)
  playUrl(@Param('id', ParseUUIDPipe) id: string): Promise<PlayUrlView> {
    return this.service.playUrl(id);
  }

  /** `/live/<drone id>.flv` (nginx passes /live through unchanged). Checks its own credentials. */
  @Get('live/:file')
  @Public()
  @ApiOkResponse({ description: 'The live stream as HTTP-FLV, for as long as the drone publishes.', content: { 'video/x-flv': {} } })
  async live(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const match = FLV_FILE.exec(file);
    if (!match) throw new BadRequestException('Live video is at /live/<drone id>.flv');
    await this.service.play(match[1].toLowerCase(), req, res);
  }
}

import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { CursorPage, Role } from '@fleet/contracts';
import { ApiCursorPage } from '@fleet/openapi';
import { parseTelemetryBody } from './telemetry-input';
import { TelemetryQueryDto, TrackQueryDto } from './telemetry.dto';
import { TelemetryService } from './telemetry.service';
import { LinkHealthView, TelemetryAcceptedView, TelemetrySampleView, TrackView } from './telemetry.view';

@Controller('drones/:id')
export class TelemetryController {
  constructor(private readonly service: TelemetryService) {}

  /** One sample, or `{ samples: [...] }` (up to 500), from the drone itself. */
  @Post('telemetry')
  @HttpCode(202)
  @Roles(Role.Drone)
  post(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() user: AuthUser): Promise<TelemetryAcceptedView> {
    return this.service.ingest(user, id, parseTelemetryBody(body));
  }

  @Get('telemetry')
  @Roles(Role.Operator, Role.Admin)
  @ApiCursorPage(TelemetrySampleView)
  history(@Param('id', ParseUUIDPipe) id: string, @Query() query: TelemetryQueryDto): Promise<CursorPage<TelemetrySampleView>> {
    return this.service.history(id, query);
  }

  @Get('telemetry/latest')
  @Roles(Role.Operator, Role.Admin)
  @ApiOkResponse({ type: TelemetrySampleView, description: 'The latest sample; an empty body while the drone has sent none.' })
  latest(@Param('id', ParseUUIDPipe) id: string): Promise<TelemetrySampleView | null> {
    return this.service.latest(id);
  }

  /** Downsampled track for long ranges. */
  @Get('track')
  @Roles(Role.Operator, Role.Admin)
  track(@Param('id', ParseUUIDPipe) id: string, @Query() query: TrackQueryDto): Promise<TrackView> {
    return this.service.track(id, query);
  }

  @Get('link')
  @Roles(Role.Operator, Role.Admin)
  link(@Param('id', ParseUUIDPipe) id: string): Promise<LinkHealthView> {
    return this.service.linkHealth(id);
  }
}

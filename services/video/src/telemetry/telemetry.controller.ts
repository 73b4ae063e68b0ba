import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Role, TelemetrySampleView } from '@fleet/contracts';
import { parseTelemetryBody } from './telemetry-input';
import { TelemetryQueryDto, TrackQueryDto } from './telemetry.dto';
import { TelemetryService } from './telemetry.service';

@Controller('drones/:id')
export class TelemetryController {
  constructor(private readonly service: TelemetryService) {}

  /** One sample, or `{ samples: [...] }` (up to 500), from the drone itself. */
  @Post('telemetry')
  @HttpCode(202)
  @Roles(Role.Drone)
  post(@Param('id', ParseUUIDPipe) id: string, @Body() body: unknown, @CurrentUser() user: AuthUser) {
    return this.service.ingest(user, id, parseTelemetryBody(body));
  }

  @Get('telemetry')
  @Roles(Role.Operator, Role.Admin)
  history(@Param('id', ParseUUIDPipe) id: string, @Query() query: TelemetryQueryDto) {
    return this.service.history(id, query);
  }

  @Get('telemetry/latest')
  @Roles(Role.Operator, Role.Admin)
  latest(@Param('id', ParseUUIDPipe) id: string): Promise<TelemetrySampleView | null> {
    return this.service.latest(id);
  }

  /** Downsampled track for long ranges. */
  @Get('track')
  @Roles(Role.Operator, Role.Admin)
  track(@Param('id', ParseUUIDPipe) id: string, @Query() query: TrackQueryDto) {
    return this.service.track(id, query);
  }

  @Get('link')
  @Roles(Role.Operator, Role.Admin)
  link(@Param('id', ParseUUIDPipe) id: string) {
    return this.service.linkHealth(id);
  }
}

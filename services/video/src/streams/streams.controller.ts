import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { PageQueryDto } from '../common/paging.dto';
import { ApiStreamStats, ApiStreamStatsPage } from './stream-stats.openapi';
import { SessionQueryDto } from './streams.dto';
import { StreamsService } from './streams.service';
import { StreamSessionView, StreamStatsView } from './streams.view';

/** Stream statistics and connection history for operators. */
@Controller()
@Roles(Role.Operator, Role.Admin)
export class StreamsController {
  constructor(private readonly service: StreamsService) {}

  @Get('streams')
  @ApiStreamStatsPage()
  all(@Query() page: PageQueryDto): Promise<Page<StreamStatsView>> {
    return this.service.all(page);
  }

  @Get('drones/:id/stream')
  @ApiStreamStats()
  ofDrone(@Param('id', ParseUUIDPipe) id: string): Promise<StreamStatsView> {
    return this.service.ofDrone(id);
  }

  @Get('sessions')
  @ApiPage(StreamSessionView)
  sessions(@Query() query: SessionQueryDto): Promise<Page<StreamSessionView>> {
    return this.service.history({ ...toFilter(query), droneId: query.drone_id });
  }

  @Get('drones/:id/sessions')
  @ApiPage(StreamSessionView)
  droneSessions(@Param('id', ParseUUIDPipe) id: string, @Query() query: SessionQueryDto): Promise<Page<StreamSessionView>> {
    return this.service.history({ ...toFilter(query), droneId: id });
  }
}

function toFilter(query: SessionQueryDto) {
  return { kind: query.kind, from: query.from, to: query.to, open: query.open, limit: query.limit, offset: query.offset };
}

import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { PageQueryDto } from '../common/paging.dto';
import { SessionQueryDto } from './streams.dto';
import { StreamSessionView, StreamsService } from './streams.service';
import { StreamStats } from './stream.types';

/** Stream statistics and connection history for operators. */
@Controller()
@Roles(Role.Operator, Role.Admin)
export class StreamsController {
  constructor(private readonly service: StreamsService) {}

  @Get('streams')
  all(@Query() page: PageQueryDto): Promise<Page<StreamStats>> {
    return this.service.all(page);
  }

  @Get('drones/:id/stream')
  ofDrone(@Param('id', ParseUUIDPipe) id: string): Promise<StreamStats> {
    return this.service.ofDrone(id);
  }

  @Get('sessions')
  sessions(@Query() query: SessionQueryDto): Promise<Page<StreamSessionView>> {
    return this.service.history({ ...toFilter(query), droneId: query.drone_id });
  }

  @Get('drones/:id/sessions')
  droneSessions(@Param('id', ParseUUIDPipe) id: string, @Query() query: SessionQueryDto): Promise<Page<StreamSessionView>> {
    return this.service.history({ ...toFilter(query), droneId: id });
  }
}

function toFilter(query: SessionQueryDto) {
  return { kind: query.kind, from: query.from, to: query.to, open: query.open, limit: query.limit, offset: query.offset };
}

import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { SessionQueryDto } from './streams.dto';
import { StreamSessionView, StreamsService } from './streams.service';
import { StreamStats } from './stream.types';

/** Stream statistics and connection history for operators. */
@Controller()
@Roles(Role.Operator, Role.Admin)
export class StreamsController {
  constructor(private readonly service: StreamsService) {}

  @Get('streams')
  all(): Promise<StreamStats[]> {
    return this.service.all();
  }

  @Get('drones/:id/stream')
  ofDrone(@Param('id', ParseUUIDPipe) id: string): Promise<StreamStats> {
    return this.service.ofDrone(id);
  }

  @Get('sessions')
  sessions(@Query() query: SessionQueryDto): Promise<StreamSessionView[]> {
    return this.service.history({ ...toFilter(query), droneId: query.drone_id });
  }

  @Get('drones/:id/sessions')
  droneSessions(@Param('id', ParseUUIDPipe) id: string, @Query() query: SessionQueryDto): Promise<StreamSessionView[]> {
    return this.service.history({ ...toFilter(query), droneId: id });
  }
}

function toFilter(query: SessionQueryDto) {
  return { kind: query.kind, from: query.from, to: query.to, open: query.open, limit: query.limit ?? 50, offset: query.offset ?? 0 };
}

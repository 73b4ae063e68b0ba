import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { HeartbeatDto, RegisterRobotDto, RobotListQueryDto, UpdateRobotDto } from './robots.dto';
import { RobotRateLimitGuard } from './robot-rate-limit.guard';
import { RobotsService } from './robots.service';
import { HeartbeatAckView, RegisteredRobotView, RobotCredentialsView, RobotView } from './robots.view';

/** Operators manage robots and see who is online (`/base_api/admin/robots`). */
@Controller('admin/robots')
@Roles(Role.Operator, Role.Admin)
export class RobotsAdminController {
  constructor(private readonly robots: RobotsService) {}

  /** Answers the robot's client secret once (`client_secret`), when the identity provider made its client. */
  @Post()
  register(@Body() dto: RegisterRobotDto): Promise<RegisteredRobotView> {
    return this.robots.register(dto);
  }

  /** Regenerates the robot's client secret; the old one stops working at once. */
  @Post(':id/client-secret')
  rotateSecret(@Param('id', ParseUUIDPipe) id: string): Promise<RobotCredentialsView> {
    return this.robots.rotateSecret(id);
  }

  @Get()
  @ApiPage(RobotView)
  list(@Query() query: RobotListQueryDto): Promise<Page<RobotView>> {
    return this.robots.list({ station: query.station, online: query.online }, query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<RobotView> {
    return this.robots.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateRobotDto): Promise<RobotView> {
    return this.robots.update(id, dto);
  }
}

/** The robot reports its status (`POST /base_api/robot/heartbeat`). */
@Controller('robot')
@Roles(Role.Robot)
@UseGuards(RobotRateLimitGuard)
export class RobotHeartbeatController {
  constructor(private readonly robots: RobotsService) {}

  @Post('heartbeat')
  @HttpCode(200)
  heartbeat(@CurrentUser() user: AuthUser, @Body() dto: HeartbeatDto): Promise<HeartbeatAckView> {
    return this.robots.heartbeat(user, dto);
  }
}

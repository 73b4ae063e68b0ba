import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, UseGuards } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { RobotRateLimitGuard } from '../robots/robot-rate-limit.guard';
import { CreateEngineerDto, EngineerListQueryDto, UpdateEngineerDto } from './engineers.dto';
import { EngineersService } from './engineers.service';
import { EngineerOutboxView, EngineerView, RobotUserView } from './engineers.view';

/** Operators manage engineers (`/base_api/admin/engineers`). */
@Controller('admin/engineers')
@Roles(Role.Operator, Role.Admin)
export class EngineersAdminController {
  constructor(private readonly engineers: EngineersService) {}

  @Post()
  register(@Body() dto: CreateEngineerDto): Promise<EngineerView> {
    return this.engineers.register(dto);
  }

  @Get()
  @ApiPage(EngineerView)
  list(@Query() query: EngineerListQueryDto): Promise<Page<EngineerView>> {
    const { limit, offset, ...filter } = query;
    return this.engineers.list(filter, { limit, offset });
  }

  /** The event outbox towards other services: how many wait, and why. */
  @Get('events/outbox')
  outbox(): Promise<EngineerOutboxView> {
    return this.engineers.events();
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<EngineerView> {
    return this.engineers.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateEngineerDto): Promise<EngineerView> {
    return this.engineers.update(id, dto);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@Param('id', ParseUUIDPipe) id: string): Promise<EngineerView> {
    return this.engineers.deactivate(id);
  }
}

/** What the robot may know about a user (`GET /base_api/robot/users/:id`). */
@Controller('robot/users')
@Roles(Role.Robot)
@UseGuards(RobotRateLimitGuard)
export class RobotUsersController {
  constructor(private readonly engineers: EngineersService) {}

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<RobotUserView> {
    return this.engineers.robotView(id);
  }
}

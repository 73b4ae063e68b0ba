import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { CreateDroneDto, DroneListQueryDto, UpdateDroneDto } from './drones.dto';
import { DronesService } from './drones.service';
import { DroneClientSecretView, DroneView, DroneWithKeyView } from './drones.view';

/** Drone administration for operators. */
@Controller('drones')
@Roles(Role.Operator, Role.Admin)
export class DronesController {
  constructor(private readonly service: DronesService) {}

  @Post()
  register(@Body() dto: CreateDroneDto): Promise<DroneWithKeyView> {
    return this.service.register(dto);
  }

  @Get()
  @ApiPage(DroneView)
  list(@Query() query: DroneListQueryDto): Promise<Page<DroneView>> {
    return this.service.list(query.include_retired ?? false, query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DroneView> {
    return this.service.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDroneDto): Promise<DroneView> {
    return this.service.update(id, dto);
  }

  /** Regenerates the drone's identity client secret (for its telemetry tokens); the old one stops working. */
  @Post(':id/client-secret')
  rotateClientSecret(@Param('id', ParseUUIDPipe) id: string): Promise<DroneClientSecretView> {
    return this.service.rotateClientSecret(id);
  }

  @Post(':id/rotate-key')
  rotateKey(@Param('id', ParseUUIDPipe) id: string): Promise<DroneWithKeyView> {
    return this.service.rotateKey(id);
  }

  @Delete(':id')
  retire(@Param('id', ParseUUIDPipe) id: string): Promise<DroneView> {
    return this.service.retire(id);
  }
}

import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { CreateDroneDto, DroneListQueryDto, DroneResponseDto, DroneWithKeyResponseDto, UpdateDroneDto } from './drones.dto';
import { DronesService } from './drones.service';

/** Drone administration for operators. */
@Controller('drones')
@Roles(Role.Operator, Role.Admin)
export class DronesController {
  constructor(private readonly service: DronesService) {}

  @Post()
  register(@Body() dto: CreateDroneDto): Promise<DroneWithKeyResponseDto> {
    return this.service.register(dto);
  }

  @Get()
  list(@Query() query: DroneListQueryDto): Promise<Page<DroneResponseDto>> {
    return this.service.list(query.include_retired ?? false, query);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DroneResponseDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDroneDto): Promise<DroneResponseDto> {
    return this.service.update(id, dto);
  }

  /** Regenerates the drone's identity client secret (for its telemetry tokens); the old one stops working. */
  @Post(':id/client-secret')
  rotateClientSecret(@Param('id', ParseUUIDPipe) id: string): Promise<{ client_id: string; client_secret: string | null }> {
    return this.service.rotateClientSecret(id);
  }

  @Post(':id/rotate-key')
  rotateKey(@Param('id', ParseUUIDPipe) id: string): Promise<DroneWithKeyResponseDto> {
    return this.service.rotateKey(id);
  }

  @Delete(':id')
  retire(@Param('id', ParseUUIDPipe) id: string): Promise<DroneResponseDto> {
    return this.service.retire(id);
  }
}

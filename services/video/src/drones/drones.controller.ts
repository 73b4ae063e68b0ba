import { Body, Controller, Delete, Get, Param, ParseBoolPipe, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { CreateDroneDto, DroneResponseDto, DroneWithKeyResponseDto, UpdateDroneDto } from './drones.dto';
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
  list(@Query('include_retired', new ParseBoolPipe({ optional: true })) includeRetired?: boolean): Promise<DroneResponseDto[]> {
    return this.service.list(includeRetired ?? false);
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DroneResponseDto> {
    return this.service.get(id);
  }

  @Patch(':id')
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateDroneDto): Promise<DroneResponseDto> {
    return this.service.update(id, dto);
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

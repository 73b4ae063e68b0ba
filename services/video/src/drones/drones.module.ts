import { Module } from '@nestjs/common';
import { DronesController } from './drones.controller';
import { DronesRepository } from './drones.repository';
import { DronesService } from './drones.service';

/** Drone administration: registration, stream keys, retirement. */
@Module({
  controllers: [DronesController],
  providers: [DronesRepository, DronesService],
  exports: [DronesRepository, DronesService],
})
export class DronesModule {}

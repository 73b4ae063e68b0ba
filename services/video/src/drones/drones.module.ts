import { Module } from '@nestjs/common';
import { ClientProvisioner } from '@fleet/auth';
import { VIDEO_CONFIG, VideoConfig } from '../config/video.config';
import { DronesController } from './drones.controller';
import { DronesRepository } from './drones.repository';
import { DronesService } from './drones.service';

/** Drone administration: registration, stream keys, retirement. */
@Module({
  controllers: [DronesController],
  providers: [
    DronesRepository,
    DronesService,
    { provide: ClientProvisioner, inject: [VIDEO_CONFIG], useFactory: (config: VideoConfig) => new ClientProvisioner(config.auth) },
  ],
  exports: [DronesRepository, DronesService],
})
export class DronesModule {}

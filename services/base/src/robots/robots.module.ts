import { Module } from '@nestjs/common';
import { ClientProvisioner } from '@fleet/auth';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';
import { RobotDirectory } from './robot-directory';
import { RobotEditBroadcast } from './robot-edit-broadcast';
import { RobotPresence } from './robot-presence';
import { RobotRateLimitGuard } from './robot-rate-limit.guard';
import { RobotHeartbeatController, RobotsAdminController } from './robots.controller';
import { RobotsRepository } from './robots.repository';
import { RobotsService } from './robots.service';

/** Robots: registration, heartbeat and presence, and the robot identity and rate limit other robot routes use. */
@Module({
  controllers: [RobotsAdminController, RobotHeartbeatController],
  providers: [
    RobotsRepository,
    RobotsService,
    RobotPresence,
    RobotDirectory,
    RobotEditBroadcast,
    RobotRateLimitGuard,
    { provide: ClientProvisioner, inject: [BASE_CONFIG], useFactory: (config: BaseConfig) => new ClientProvisioner(config.auth) },
  ],
  exports: [RobotDirectory, RobotRateLimitGuard],
})
export class RobotsModule {}

import { Module } from '@nestjs/common';
import { RobotsModule } from '../robots/robots.module';
import { EngineerEventRelay } from './engineer-event-relay';
import { EngineersAdminController, RobotUsersController } from './engineers.controller';
import { EngineersRepository } from './engineers.repository';
import { EngineersService } from './engineers.service';

/** Engineers: admin, the robot's view of a user, and their events towards other services (outbox). */
@Module({
  imports: [RobotsModule],
  controllers: [EngineersAdminController, RobotUsersController],
  providers: [EngineersRepository, EngineersService, EngineerEventRelay],
  exports: [EngineersService],
})
export class EngineersModule {}

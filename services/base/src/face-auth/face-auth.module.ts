import { Module } from '@nestjs/common';
import { EngineersModule } from '../engineers/engineers.module';
import { RobotsModule } from '../robots/robots.module';
import { TicketsModule } from '../tickets/tickets.module';
import { BoardingAdminController, RobotBoardingController } from './boarding.controller';
import { BoardingRepository } from './boarding.repository';
import { BoardingService } from './boarding.service';
import { EngineerFaceAdminController, FaceLoginsAdminController, RobotFaceLoginController } from './face-auth.controller';
import { FaceAuthService } from './face-auth.service';
import { FaceLoginsRepository } from './face-logins.repository';

/** Engineers' face enrollment and login, passengers' face boarding; all over the face service (RabbitMQ). */
@Module({
  imports: [EngineersModule, RobotsModule, TicketsModule],
  controllers: [EngineerFaceAdminController, FaceLoginsAdminController, RobotFaceLoginController, RobotBoardingController, BoardingAdminController],
  providers: [FaceAuthService, FaceLoginsRepository, BoardingService, BoardingRepository],
})
export class FaceAuthModule {}

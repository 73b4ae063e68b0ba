import { Module } from '@nestjs/common';
import { EngineersModule } from '../engineers/engineers.module';
import { RobotsModule } from '../robots/robots.module';
import { EngineerFaceAdminController, FaceLoginsAdminController, RobotFaceLoginController } from './face-auth.controller';
import { FaceAuthService } from './face-auth.service';
import { FaceLoginsRepository } from './face-logins.repository';

/** Engineers' face enrollment and robot face login, over the face service (RabbitMQ). */
@Module({
  imports: [EngineersModule, RobotsModule],
  controllers: [EngineerFaceAdminController, FaceLoginsAdminController, RobotFaceLoginController],
  providers: [FaceAuthService, FaceLoginsRepository],
})
export class FaceAuthModule {}

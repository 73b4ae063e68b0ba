import { Module } from '@nestjs/common';
import { TemplateRepository } from '../templates/template.repository';
import { EnrollmentService } from './enrollment.service';
import { FaceRpcController } from './face.rpc.controller';
import { LivenessService } from './liveness.service';
import { RecognitionService } from './recognition.service';

@Module({
  controllers: [FaceRpcController],
  providers: [TemplateRepository, RecognitionService, EnrollmentService, LivenessService],
})
export class FaceModule {}

import { Controller } from '@nestjs/common';
import { Ctx, Payload, RmqContext } from '@nestjs/microservices';
import {
  CheckLiveness,
  DetectFaces,
  DetectFacesParams,
  DetectFacesResult,
  EnrollFace,
  EnrollFaceParams,
  EnrollFaceResult,
  ForgetFace,
  ForgetFaceParams,
  ForgetFaceResult,
  IdentifyFace,
  IdentifyFaceParams,
  IdentifyFaceResult,
  LivenessParams,
  LivenessResult,
  VerifyFace,
  VerifyFaceParams,
  VerifyFaceResult,
} from '@fleet/contracts';
import { messageIdOf, RpcHandler } from '@fleet/messaging';
import { EnrollmentService } from './enrollment.service';
import { LivenessService } from './liveness.service';
import { RecognitionService } from './recognition.service';

/** The face service's methods over RabbitMQ (its only door besides /health and /metrics). */
@Controller()
export class FaceRpcController {
  constructor(
    private readonly recognition: RecognitionService,
    private readonly enrollment: EnrollmentService,
    private readonly liveness: LivenessService,
  ) {}

  @RpcHandler(DetectFaces)
  detect(@Payload() params: DetectFacesParams): Promise<DetectFacesResult> {
    return this.recognition.detect(params);
  }

  @RpcHandler(EnrollFace)
  enroll(@Payload() params: EnrollFaceParams, @Ctx() ctx: RmqContext): Promise<EnrollFaceResult> {
    return this.enrollment.enroll(params, messageIdOf(ctx));
  }

  @RpcHandler(IdentifyFace)
  identify(@Payload() params: IdentifyFaceParams): Promise<IdentifyFaceResult> {
    return this.recognition.identify(params);
  }

  @RpcHandler(VerifyFace)
  verify(@Payload() params: VerifyFaceParams): Promise<VerifyFaceResult> {
    return this.recognition.verify(params);
  }

  @RpcHandler(ForgetFace)
  forget(@Payload() params: ForgetFaceParams): Promise<ForgetFaceResult> {
    return this.enrollment.forget(params);
  }

  @RpcHandler(CheckLiveness)
  checkLiveness(@Payload() params: LivenessParams): Promise<LivenessResult> {
    return this.liveness.check(params);
  }
}

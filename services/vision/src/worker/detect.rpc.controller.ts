import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { DetectImage, DetectImageParams, DetectImageResult } from '@fleet/contracts';
import { RpcHandler } from '@fleet/messaging';
import { DetectorService } from './detector.service';

/**
 * The worker's one method. Detection is a pure function of the file and the parameters, so a
 * redelivery (a worker killed mid-image) simply runs it again; no idempotency store is needed.
 */
@Controller()
export class DetectRpcController {
  constructor(private readonly detector: DetectorService) {}

  @RpcHandler(DetectImage)
  detect(@Payload() params: DetectImageParams): Promise<DetectImageResult> {
    return this.detector.detect(params);
  }
}

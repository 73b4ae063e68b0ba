import { Inject, Injectable } from '@nestjs/common';
import { FaceRejection, LivenessFrame, LivenessParams, LivenessResult } from '@fleet/contracts';
import { FACE_CONFIG, FaceConfig } from '../config/face.config';
import { FacePipeline } from '../pipeline/face-pipeline';
import { decodeOrThrow, imagesRejected } from './image-input';
import { largestFace } from './quality-gates';
import { FACE_PIPELINE } from './face-runtime';

/**
 * The class of fr_liveness.onnx that behaves as "live": the model's own demo reports class 0 as
 * its liveness score, and in our experiments screen re-captures of sharp photos moved probability
 * from class 0 to class 1. But real webcam frames also land in class 1, so the result is marked
 * experimental (see services/face/README.md).
 */
const LIVE_CLASS = 0;

function meanAbsoluteDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

@Injectable()
export class LivenessService {
  constructor(
    @Inject(FACE_CONFIG) private readonly config: FaceConfig,
    @Inject(FACE_PIPELINE) private readonly pipeline: FacePipeline,
  ) {}

  async check(params: LivenessParams): Promise<LivenessResult> {
    const frames: LivenessFrame[] = [];
    const aligned: Float32Array[] = [];
    for (const [i, bytes] of params.frames.entries()) {
      const image = await decodeOrThrow(bytes, i, this.config.images.maxPixels);
      const face = largestFace(await this.pipeline.detect(image));
      if (!face) throw imagesRejected([{ index: i, reason: FaceRejection.NoFace, message: 'no face found' }]);
      const classScores = (await this.pipeline.liveness(image, face)).map((p) => Math.round(p * 10_000) / 10_000);
      frames.push({ classScores, liveScore: classScores[LIVE_CLASS] });
      if (params.frames.length > 1) aligned.push(await this.pipeline.alignedFace(image, face));
    }
    const threshold = params.threshold ?? this.config.liveness.threshold;
    const liveScore = Math.round((frames.reduce((sum, f) => sum + f.liveScore, 0) / frames.length) * 10_000) / 10_000;
    let frameVariation: number | undefined;
    if (aligned.length > 1) {
      const changes = aligned.slice(1).map((face, i) => meanAbsoluteDifference(aligned[i], face));
      frameVariation = Math.round((changes.reduce((a, b) => a + b, 0) / changes.length) * 100) / 100;
    }
    const moving = frameVariation === undefined || frameVariation >= this.config.liveness.minFrameVariation;
    return { experimental: true, live: liveScore >= threshold && moving, liveScore, threshold, frames, frameVariation };
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { DetectImage, DetectImageResult, RpcErrorCode } from '@fleet/contracts';
import { RpcClient, RpcError } from '@fleet/messaging';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';

export interface ImageFailure {
  /** `not_an_image`, `truncated`, `too_large`, `missing`, `unsafe_name`, `unavailable`, `timeout`, `failed`. */
  reason: string;
  message: string;
}

export type DispatchOutcome = { ok: true; result: DetectImageResult } | { ok: false; error: ImageFailure };

/** Why a call failed, for the per-image error: the image's fault, or the worker pool's. */
export function failureOf(error: unknown): ImageFailure {
  if (error instanceof RpcError) {
    const reason = (error.data as { reason?: unknown } | undefined)?.reason;
    if (error.code === RpcErrorCode.InvalidParams && typeof reason === 'string') return { reason, message: error.message };
    if (error.code === RpcErrorCode.Unavailable) return { reason: 'unavailable', message: `No vision worker could take the image: ${error.message}` };
    if (error.code === RpcErrorCode.DeadlineExceeded) return { reason: 'timeout', message: 'No vision worker answered in time' };
    return { reason: 'failed', message: error.message };
  }
  return { reason: 'failed', message: (error as Error).message ?? String(error) };
}

/** An image for the workers: its bytes (sent inline, up to INLINE_IMAGE_MAX_BYTES) or its key in shared storage. */
export type ImageSource = { bytes: Buffer } | { key: string };

const describeSource = (source: ImageSource) => ('key' in source ? source.key : `an inline image of ${source.bytes.length} bytes`);

/** Sends images to the worker pool, a bounded number at a time. */
@Injectable()
export class DetectionDispatcher {
  private readonly logger = new Logger(DetectionDispatcher.name);

  constructor(
    private readonly rpc: RpcClient,
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
  ) {}

  async detect(source: ImageSource, confidence: number): Promise<DispatchOutcome> {
    try {
      const result = await this.rpc.call(DetectImage, {
        ...('key' in source ? { path: source.key } : { image: source.bytes }),
        confidence,
        iou: this.config.vision.nmsIou,
        max_detections: this.config.vision.maxDetections,
        class_thresholds: this.config.vision.classThresholds,
        annotate: true,
      }, { deadlineMs: this.config.vision.detectDeadlineMs });
      return { ok: true, result };
    } catch (error) {
      const failure = failureOf(error);
      if (failure.reason === 'unavailable' || failure.reason === 'timeout' || failure.reason === 'failed') this.logger.warn(`Detection of ${describeSource(source)} failed: ${failure.message}`);
      return { ok: false, error: failure };
    }
  }

  /** A pool of at most `dispatchConcurrency` calls in flight; results keep the input order. */
  createPool(): DispatchPool {
    return new DispatchPool(this, this.config.vision.dispatchConcurrency);
  }
}

export class DispatchPool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly dispatcher: DetectionDispatcher,
    private readonly limit: number,
  ) {}

  /**
   * Resolves once a slot is free (back-pressure for a producer such as a ZIP reader) with the job;
   * the outcome is wrapped so that awaiting the slot does not also await the detection.
   */
  async submit(source: ImageSource, confidence: number): Promise<{ outcome: Promise<DispatchOutcome> }> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    const outcome = this.dispatcher.detect(source, confidence).finally(() => {
      this.running--;
      this.waiting.shift()?.();
    });
    return { outcome };
  }
}

import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { defineMethod } from '../rpc/rpc-method';

export * from './demo-tool-classes';

/**
 * Tool detection, served by vision's worker pool on its own queue (`fleet.vision.detect`, the
 * contract's pool), so vision's HTTP instances never pick up inference work. The image travels
 * as a path inside the storage directory both sides share (`VISION_MEDIA_DIR`), never as bytes.
 */
export class DetectImageParams {
  /** Path relative to the shared media directory; no `..`, not absolute. */
  @IsString() @MaxLength(512) @Matches(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\/-]+$/)
  path!: string;

  /** Minimum class score (0..1); per-class thresholds of the worker's config apply on top. */
  @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  confidence!: number;

  /** IoU above which NMS drops the lower-scored box of the same class. */
  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  iou?: number;

  /**
   * Per-class minimum scores (class name -> 0..1), from the calling service's config, so every
   * worker of the pool applies the same ones; the stricter of this and `confidence` wins.
   */
  @IsOptional() @IsObject()
  class_thresholds?: Record<string, number>;

  @IsOptional() @IsInt() @Min(1) @Max(1000)
  max_detections?: number;

  /** Draw the detections and store the annotated JPEG (its file name comes back). */
  @IsOptional() @IsBoolean()
  annotate?: boolean;
}

export interface DetectionBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface Detection {
  class_id: number;
  class_name: string;
  confidence: number;
  /** Pixels of the original image. */
  box: DetectionBox;
}

export class DetectImageResult {
  sha256!: string;
  width!: number;
  height!: number;
  detections!: Detection[];
  /** Model forward pass only. */
  inference_ms!: number;
  /** Where the worker's time went on this call (absent on a cache hit): decode (check, decode, letterbox), inference, postprocess (decode output, NMS), annotate (draw, encode, write). */
  stages_ms?: { decode: number; inference: number; postprocess: number; annotate: number };
  /** Decode, letterbox, forward pass, NMS and drawing, as measured by the worker. */
  worker_ms!: number;
  model!: { name: string; version: string };
  /** File name under the media directory's `annotated/`, served by `GET /vision_api/media/{name}`. */
  annotated?: string;
  cached!: boolean;
  /** Which worker instance answered (for load-sharing checks). */
  worker!: string;
}

export const DetectImage = defineMethod('vision.detect.v1', DetectImageParams, DetectImageResult, { pool: 'detect' });

/** RPC error `data.reason` values of DetectImage's InvalidParams answers: the image, not the call, is bad. */
export enum ImageRejection {
  NotAnImage = 'not_an_image',
  Truncated = 'truncated',
  TooLarge = 'too_large',
  Missing = 'missing',
}

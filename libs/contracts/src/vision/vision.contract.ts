import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsBytes } from '../rpc/bytes';
import { defineMethod } from '../rpc/rpc-method';

export * from './demo-tool-classes';

/** Largest image the HTTP side sends inline (`DetectImageParams.image`); larger ones go by path. */
export const INLINE_IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/**
 * Tool detection, served by vision's worker pool on its own queue (`fleet.vision.detect`, the
 * contract's pool), so vision's HTTP instances never pick up inference work. A small image travels
 * inside the message (`image`); a larger one as a path inside the storage both sides share
 * (`VISION_MEDIA_DIR` or the bucket). Exactly one of the two is set.
 */
export class DetectImageParams {
  /** Path relative to the shared media directory; no `..`, not absolute. Required without `image`. */
  @ValidateIf((params: DetectImageParams) => params.image === undefined || params.path !== undefined)
  @IsString() @MaxLength(512) @Matches(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._\/-]+$/)
  path?: string;

  /**
   * The image's bytes (a binary attachment of the message; base64 text from a JSON-only caller),
   * for images up to INLINE_IMAGE_MAX_BYTES: no write to shared storage and no read back. The
   * message is persistent, so a redelivery still carries the image. Its size is checked by the
   * worker against its VISION_MAX_IMAGE_BYTES, which answers `too_large`.
   */
  @IsOptional() @IsBytes()
  image?: Buffer;

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

  /**
   * Draw the detections and store the annotated JPEG (its file name comes back). The worker answers
   * before drawing; until the file is stored, `GET /vision_api/media/{name}` waits for it.
   */
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
  /**
   * Where the worker's time went on this call before it answered (absent on a cache hit): decode
   * (check, decode, letterbox), inference, postprocess (decode output, NMS), annotate (announcing
   * the annotated image; drawing, encoding and writing it happen after the answer).
   */
  stages_ms?: { decode: number; inference: number; postprocess: number; annotate: number };
  /** Decode, letterbox, forward pass and NMS, as measured by the worker (drawing comes after the answer). */
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

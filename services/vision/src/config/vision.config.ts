import os from 'node:os';
import path from 'node:path';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { INLINE_IMAGE_MAX_BYTES } from '@fleet/contracts';
import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';
import { StorageSettings, storageSettingsOf, WithStorageEnv } from '@fleet/storage';

/** The vision service's variables (HTTP instances and workers read the same class), STORAGE_BACKEND and S3_* included. */
export class VisionEnv extends WithStorageEnv(CommonEnv) {
  override DATABASE_URL: string = 'postgres://svc_vision:svc_vision@127.0.0.1:5432/fleet';

  /**
   * Storage shared by the HTTP instances and the workers: uploads in flight and annotated images.
   * With STORAGE_BACKEND=s3 those live in the bucket, and this directory holds only uploads while
   * they are received (and ZIP archives, which only the HTTP instance reads).
   */
  @IsString()
  VISION_MEDIA_DIR: string = path.join(os.tmpdir(), 'fleet-vision-media');

  /** A trained YOLOv8/YOLO11 ONNX export; when empty the demo model is generated into VISION_MODEL_CACHE_DIR. */
  @IsOptional() @IsString()
  VISION_MODEL_PATH?: string;

  @IsString()
  VISION_MODEL_CACHE_DIR: string = path.join(os.tmpdir(), 'fleet-vision-models');

  /** Comma-separated class names, overriding the model's `names` metadata. */
  @IsOptional() @IsString()
  VISION_CLASS_NAMES?: string;

  /** Per-class minimum scores, `name=0.6,other=0.7`; the stricter of this and the request's confidence wins. */
  @IsOptional() @IsString()
  VISION_CLASS_THRESHOLDS?: string;

  @IsNumber() @Min(0) @Max(1)
  VISION_NMS_IOU: number = 0.45;

  @IsInt() @Min(1) @Max(1000)
  VISION_MAX_DETECTIONS: number = 300;

  /** Threads of one ONNX session; 1 per worker lets several workers share the cores. */
  @IsInt() @Min(1) @Max(64)
  VISION_INTRA_OP_THREADS: number = 1;

  /**
   * Images one worker works on at once (its RabbitMQ prefetch is one more: the next image waits in
   * hand, see AnnotationWriter). 1: inference is CPU-bound, so
   * throughput comes from more workers, and one large photo at a time keeps a worker's memory low
   * (a 200 MB ZIP of 1920-px photos peaked at 261 MB per worker with 1, 309 MB with 2).
   */
  @IsInt() @Min(1) @Max(64)
  VISION_WORKER_CONCURRENCY: number = 1;

  @IsInt() @Min(1)
  VISION_MAX_IMAGE_BYTES: number = 32 * 1024 * 1024;

  /** Width or height above which an image is refused before decoding. */
  @IsInt() @Min(64)
  VISION_MAX_IMAGE_SIDE: number = 12_000;

  @IsInt() @Min(1) @Max(1000)
  VISION_MAX_BATCH_IMAGES: number = 64;

  @IsInt() @Min(1)
  VISION_MAX_ZIP_BYTES: number = 256 * 1024 * 1024;

  @IsInt() @Min(1) @Max(100_000)
  VISION_ZIP_MAX_ENTRIES: number = 1000;

  @IsInt() @Min(1)
  VISION_ZIP_MAX_TOTAL_BYTES: number = 1024 * 1024 * 1024;

  /** Uncompressed/compressed above which an entry is taken for a ZIP bomb. */
  @IsNumber() @Min(1)
  VISION_ZIP_MAX_RATIO: number = 100;

  /**
   * Photos of one request held in memory, in bytes, and sent to the workers inside the message
   * instead of through shared storage; past it a request's photos go to disk as before. At most
   * INLINE_IMAGE_MAX_BYTES (the message is persistent: RabbitMQ keeps it until it is answered).
   */
  @IsInt() @Min(0) @Max(INLINE_IMAGE_MAX_BYTES)
  VISION_INLINE_IMAGE_BYTES: number = INLINE_IMAGE_MAX_BYTES;

  /**
   * How long `GET /media/{name}` waits for an annotated image a worker announced but has not
   * stored yet (workers answer before drawing). Past it, or once the worker gives up, 404.
   */
  @IsInt() @Min(0) @Max(60_000)
  VISION_ANNOTATION_WAIT_MS: number = 5_000;

  /** Images of one batch or ZIP in flight to the workers at once. */
  @IsInt() @Min(1) @Max(256)
  VISION_DISPATCH_CONCURRENCY: number = 8;

  /** Deadline of one image's detection over RabbitMQ. */
  @IsInt() @Min(100)
  VISION_DETECT_DEADLINE_MS: number = 30_000;

  @IsInt() @Min(0)
  VISION_CACHE_TTL_SECONDS: number = 86_400;

  /** A returned kit whose detections score below this goes to review. */
  @IsNumber() @Min(0) @Max(1)
  VISION_REVIEW_CONFIDENCE: number = 0.7;

  /** Seed the default toolkit into an empty catalogue at start. */
  @IsString()
  VISION_SEED_DEFAULT_TOOLKIT: string = 'true';
}

export interface VisionConfig extends FleetConfig {
  vision: {
    mediaDir: string;
    storage: StorageSettings;
    modelPath?: string;
    modelCacheDir: string;
    classNames?: string[];
    classThresholds: Record<string, number>;
    nmsIou: number;
    maxDetections: number;
    intraOpThreads: number;
    workerConcurrency: number;
    maxImageBytes: number;
    maxImageSide: number;
    maxBatchImages: number;
    maxZipBytes: number;
    zip: { maxEntries: number; maxTotalBytes: number; maxRatio: number };
    inlineImageBytes: number;
    annotationWaitMs: number;
    dispatchConcurrency: number;
    detectDeadlineMs: number;
    cacheTtlSeconds: number;
    reviewConfidence: number;
    seedDefaultToolkit: boolean;
  };
}

export function parseClassThresholds(text: string | undefined): Record<string, number> {
  const thresholds: Record<string, number> = {};
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z0-9_ -]+)=(0(\.\d+)?|1(\.0+)?)$/.exec(part);
    if (!match) throw new Error(`VISION_CLASS_THRESHOLDS: "${part}" is not name=number in 0..1`);
    thresholds[match[1].trim()] = Number(match[2]);
  }
  return thresholds;
}

export function toVisionConfig(env: VisionEnv): VisionConfig {
  return {
    ...toFleetConfig('vision', env),
    vision: {
      mediaDir: path.resolve(env.VISION_MEDIA_DIR),
      storage: storageSettingsOf(env),
      modelPath: env.VISION_MODEL_PATH ? path.resolve(env.VISION_MODEL_PATH) : undefined,
      modelCacheDir: path.resolve(env.VISION_MODEL_CACHE_DIR),
      classNames: env.VISION_CLASS_NAMES?.split(',').map((n) => n.trim()).filter(Boolean),
      classThresholds: parseClassThresholds(env.VISION_CLASS_THRESHOLDS),
      nmsIou: env.VISION_NMS_IOU,
      maxDetections: env.VISION_MAX_DETECTIONS,
      intraOpThreads: env.VISION_INTRA_OP_THREADS,
      workerConcurrency: env.VISION_WORKER_CONCURRENCY,
      maxImageBytes: env.VISION_MAX_IMAGE_BYTES,
      maxImageSide: env.VISION_MAX_IMAGE_SIDE,
      maxBatchImages: env.VISION_MAX_BATCH_IMAGES,
      maxZipBytes: env.VISION_MAX_ZIP_BYTES,
      zip: { maxEntries: env.VISION_ZIP_MAX_ENTRIES, maxTotalBytes: env.VISION_ZIP_MAX_TOTAL_BYTES, maxRatio: env.VISION_ZIP_MAX_RATIO },
      inlineImageBytes: env.VISION_INLINE_IMAGE_BYTES,
      annotationWaitMs: env.VISION_ANNOTATION_WAIT_MS,
      dispatchConcurrency: env.VISION_DISPATCH_CONCURRENCY,
      detectDeadlineMs: env.VISION_DETECT_DEADLINE_MS,
      cacheTtlSeconds: env.VISION_CACHE_TTL_SECONDS,
      reviewConfidence: env.VISION_REVIEW_CONFIDENCE,
      seedDefaultToolkit: env.VISION_SEED_DEFAULT_TOOLKIT !== 'false',
    },
  };
}

export const VISION_CONFIG = Symbol('VISION_CONFIG');

const loader = cachedLoader(() => toVisionConfig(validateEnv(VisionEnv)));
export const loadVisionConfig = loader.get;
export const clearVisionConfigCache = loader.clear;

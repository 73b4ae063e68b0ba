import { IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { cachedLoader, CommonEnv, FleetConfig, toFleetConfig, validateEnv } from '@fleet/config';
import { defaultModelPaths, FaceModelPaths } from '../pipeline/face-models';

/** The face service's variables, on top of the common ones. */
export class FaceEnv extends CommonEnv {
  override DATABASE_URL: string = 'postgres://svc_face:svc_face@127.0.0.1:5432/fleet';

  /** Work is CPU-bound: a small prefetch lets every instance of the pool take its share. */
  override RMQ_PREFETCH: number = 2;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  CHROMA_URL: string = 'http://127.0.0.1:8000';

  /** Prefix of the collection name; the embedding model's digest is appended (one collection per model). */
  @IsString() @Matches(/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,40}$/)
  CHROMA_COLLECTION: string = 'face_templates';

  @IsOptional() @IsString()
  FACE_MODEL_DETECTOR?: string;

  @IsOptional() @IsString()
  FACE_MODEL_LANDMARKS?: string;

  @IsOptional() @IsString()
  FACE_MODEL_EMBEDDING?: string;

  @IsOptional() @IsString()
  FACE_MODEL_LIVENESS?: string;

  /** ONNX Runtime threads per model run; 1 suits several instances per machine. */
  @IsInt() @Min(1) @Max(16)
  FACE_ORT_THREADS: number = 1;

  /** Cosine similarity from which identify and verify call it the same person. */
  @IsNumber() @Min(-1) @Max(1)
  FACE_MATCH_THRESHOLD: number = 0.5;

  @IsNumber() @Min(0.05) @Max(1)
  FACE_DETECTION_THRESHOLD: number = 0.65;

  /** Enrollment gate: detector confidence. */
  @IsNumber() @Min(0) @Max(1)
  FACE_ENROLL_MIN_SCORE: number = 0.9;

  /** Enrollment gate: shorter side of the face box, pixels. */
  @IsInt() @Min(16) @Max(4096)
  FACE_ENROLL_MIN_FACE_PX: number = 80;

  /** Larger images are refused from their header, before decoding. */
  @IsInt() @Min(10_000) @Max(100_000_000)
  FACE_MAX_PIXELS: number = 25_000_000;

  @IsNumber() @Min(0) @Max(1)
  FACE_LIVENESS_THRESHOLD: number = 0.5;

  /** Multi-frame liveness: mean pixel change (0..255) of the aligned face below which frames count as a still replay. */
  @IsNumber() @Min(0) @Max(255)
  FACE_MIN_FRAME_VARIATION: number = 1;
}

export interface FaceConfig extends FleetConfig {
  chroma: { url: string; collectionPrefix: string };
  models: FaceModelPaths & { threads: number };
  match: { threshold: number };
  detection: { scoreThreshold: number; nmsThreshold: number };
  enroll: { minScore: number; minFacePx: number };
  images: { maxPixels: number };
  liveness: { threshold: number; minFrameVariation: number };
}

export const FACE_CONFIG = Symbol('FACE_CONFIG');

export function toFaceConfig(env: FaceEnv): FaceConfig {
  const defaults = defaultModelPaths();
  return {
    ...toFleetConfig('face', env),
    chroma: { url: env.CHROMA_URL, collectionPrefix: env.CHROMA_COLLECTION },
    models: {
      detector: env.FACE_MODEL_DETECTOR ?? defaults.detector,
      landmarks: env.FACE_MODEL_LANDMARKS ?? defaults.landmarks,
      embedding: env.FACE_MODEL_EMBEDDING ?? defaults.embedding,
      liveness: env.FACE_MODEL_LIVENESS ?? defaults.liveness,
      threads: env.FACE_ORT_THREADS,
    },
    match: { threshold: env.FACE_MATCH_THRESHOLD },
    detection: { scoreThreshold: env.FACE_DETECTION_THRESHOLD, nmsThreshold: 0.4 },
    enroll: { minScore: env.FACE_ENROLL_MIN_SCORE, minFacePx: env.FACE_ENROLL_MIN_FACE_PX },
    images: { maxPixels: env.FACE_MAX_PIXELS },
    liveness: { threshold: env.FACE_LIVENESS_THRESHOLD, minFrameVariation: env.FACE_MIN_FRAME_VARIATION },
  };
}

const loader = cachedLoader(() => toFaceConfig(validateEnv(FaceEnv)));
export const loadFaceConfig = loader.get;
export const clearFaceConfigCache = loader.clear;

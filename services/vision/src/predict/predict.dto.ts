import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { Detection } from '@fleet/contracts';
import type { ImageFailure } from './detection-dispatcher';
import type { KitComparison } from './kit-comparison';

/** Multipart text fields of every predict route (the original service's names). */
export class PredictFieldsDto {
  @IsOptional() @IsUUID()
  toolkit_id?: string;

  @IsOptional() @Type(() => Number) @IsNumber() @Min(0) @Max(1)
  confidence?: number;
}

export interface ImagePrediction {
  /** The upload's file name or the ZIP entry's name (as given; never used as a path). */
  filename: string;
  success: boolean;
  detections: Detection[];
  count: number;
  width?: number;
  height?: number;
  inference_time_ms?: number;
  worker_ms?: number;
  stages_ms?: { decode: number; inference: number; postprocess: number; annotate: number };
  cached?: boolean;
  /** The worker instance that ran it. */
  worker?: string;
  model?: { name: string; version: string };
  /** `/vision_api/media/<name>.jpg`: the image with boxes and labels drawn. */
  annotated_image_url?: string;
  /** Kit comparison of this image alone, when a toolkit was given. */
  comparison?: KitComparison;
  error?: ImageFailure;
}

export interface PredictResponse {
  model: { name: string; version: string } | null;
  confidence: number;
  total_images: number;
  successful: number;
  failed: number;
  results: ImagePrediction[];
  /** Comparison over every image (each is a view of the whole kit), when a toolkit was given. */
  comparison?: KitComparison;
  total_time_ms: number;
}

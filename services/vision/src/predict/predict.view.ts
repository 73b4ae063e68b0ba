import type { Detection, DetectionBox } from '@fleet/contracts';
import type { ImageFailure } from './detection-dispatcher';
import type { KitComparison, KitLine } from './kit-comparison';

/** A box in pixels of the original image. */
export class DetectionBoxView implements DetectionBox {
  x1!: number;
  y1!: number;
  x2!: number;
  y2!: number;
}

export class DetectionView implements Detection {
  class_id!: number;
  class_name!: string;
  confidence!: number;
  box!: DetectionBoxView;
}

export class ModelView {
  name!: string;
  version!: string;
}

/** Where the worker's time went, in milliseconds (absent on a cache hit). */
export class StageTimesView {
  decode!: number;
  inference!: number;
  postprocess!: number;
  annotate!: number;
}

/** Why one image could not be analysed. */
export class ImageFailureView implements ImageFailure {
  /** `not_an_image`, `truncated`, `too_large`, `missing`, `unsafe_name`, `unavailable`, `timeout`, `failed`. */
  reason!: string;
  message!: string;
}

/** One detector class of a kit check: how many the kit should hold and how many the photos showed. */
export class KitLineView implements KitLine {
  class_name!: string;
  /** Tool names of the kit with this class (empty for an extra class that does not belong to the kit). */
  tools!: string[];
  expected!: number;
  found!: number;
  missing!: number;
  extra!: number;
  /** Lowest confidence among the found ones (null when none was found). */
  confidence!: number | null;
}

/** A kit check: the photos' detections against what the toolkit should hold. */
export class KitComparisonView implements KitComparison {
  toolkit_id!: string;
  /** Nothing missing and nothing extra. */
  complete!: boolean;
  expected_total!: number;
  found_total!: number;
  missing_total!: number;
  extra_total!: number;
  lines!: KitLineView[];
}

/** What the detector made of one photo (without a kit comparison). */
export class PhotoResultView {
  /** The upload's file name or the ZIP entry's name (as given; never used as a path). */
  filename!: string;
  success!: boolean;
  detections!: DetectionView[];
  count!: number;
  width?: number;
  height?: number;
  inference_time_ms?: number;
  worker_ms?: number;
  stages_ms?: StageTimesView;
  cached?: boolean;
  /** The worker instance that ran it. */
  worker?: string;
  model?: ModelView;
  /** `/vision_api/media/<name>.jpg`: the image with boxes and labels drawn (send the token to fetch it). */
  annotated_image_url?: string;
  error?: ImageFailureView;
}

export class ImagePredictionView extends PhotoResultView {
  /** Kit comparison of this image alone, when a toolkit was given. */
  comparison?: KitComparisonView;
}

/** The answer of every predict route (one photo, a batch, or a ZIP archive). */
export class PredictView {
  /** The model that answered; null when no image could be analysed. */
  model!: ModelView | null;
  confidence!: number;
  total_images!: number;
  successful!: number;
  failed!: number;
  results!: ImagePredictionView[];
  /** Comparison over every image (each is a view of the whole kit), when a toolkit was given. */
  comparison?: KitComparisonView;
  total_time_ms!: number;
}

import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { DetectImageParams, DetectImageResult, ImageRejection, RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';
import { keyProblem, type ObjectStore } from '@fleet/storage';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { annotate, ANNOTATION_MAX_SIDE } from '../inference/annotate';
import { letterbox, LetterboxGeometry } from '../inference/letterbox';
import { decodeYoloOutput } from '../inference/yolo-decode';
import { annotatedKey, annotatedName } from '../media/media-paths';
import { VISION_STORE } from '../media/vision-store';
import { DetectorModel, loadDetectorModel } from '../model/detector-model';
import { AnnotationWriter } from './annotation-writer';
import { CachedDetection, DetectionCache } from './detection-cache';
import { CheckedImage, checkImage, decodingOf } from './image-decoding';

/**
 * Photos up to the annotation size are decoded once and both the letterbox and the annotation start
 * from the pixels; larger ones are opened twice, so that each pass can use JPEG shrink-on-load.
 */
async function decodedOnceIfSmall(image: CheckedImage): Promise<CheckedImage> {
  if (Math.max(image.width, image.height) > ANNOTATION_MAX_SIDE) return image;
  const { data, info } = await decodingOf(() => image.open().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true }));
  return { ...image, pixels: data, open: () => sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } }) };
}

/** Keeps only name -> number in 0..1 entries of a message's thresholds. */
function validThresholds(value: Record<string, number> | undefined): Record<string, number> | undefined {
  if (!value) return undefined;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'number' && v >= 0 && v <= 1));
}

const elapsed = (start: number) => Math.round((performance.now() - start) * 100) / 100;

/** One image in, detections out (and an annotated JPEG, drawn after the answer): what a worker does per message. */
@Injectable()
export class DetectorService implements OnModuleInit {
  private readonly logger = new Logger(DetectorService.name);
  private model!: DetectorModel;
  /**
   * Input tensors (4.9 MB each at 640 px), kept between images. A new one per image was the
   * worker's largest garbage: external memory that brought a mark-compact every few images (with
   * the model-worker's 2 MB young generation, the worker's stages in a loop spent 4.3 ms per image
   * in GC; 1.5 ms with the tensor reused). One per image in flight at most.
   */
  private readonly tensors: Float32Array[] = [];

  constructor(
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
    @Inject(VISION_STORE) private readonly store: ObjectStore,
    private readonly cache: DetectionCache,
    private readonly annotations: AnnotationWriter,
  ) {}

  async onModuleInit(): Promise<void> {
    const started = performance.now();
    this.model = await loadDetectorModel(this.config.vision);
    this.logger.log(`Model ${this.model.name} (version ${this.model.version}, ${this.model.names.length} classes, input ${this.model.inputSize}) loaded from ${this.model.file} in ${elapsed(started)} ms`);
  }

  get loadedModel(): DetectorModel {
    return this.model;
  }

  async detect(params: DetectImageParams): Promise<DetectImageResult> {
    return this.annotations.detection(() => this.detectNow(params));
  }

  private async detectNow(params: DetectImageParams): Promise<DetectImageResult> {
    const started = performance.now();
    const bytes = params.image !== undefined ? this.inlineImage(params.image) : await this.readImage(params.path);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const settings = {
      confidence: params.confidence,
      iou: params.iou ?? this.config.vision.nmsIou,
      max: params.max_detections ?? this.config.vision.maxDetections,
      thresholds: validThresholds(params.class_thresholds) ?? this.config.vision.classThresholds,
      annotate: params.annotate ?? true,
    };
    const key = DetectionCache.key(sha256, this.model.version, settings);
    const hit = await this.cache.get(key);
    if (hit && (!hit.annotated || (await this.store.stat(annotatedKey(hit.annotated))))) {
      return { ...hit, cached: true, worker: this.config.instanceId, worker_ms: elapsed(started) };
    }
    const { stages_ms, ...result } = await this.run(bytes, sha256, key, settings);
    // Not awaited: the answer does not depend on it (a failed write only costs the cache, and a hit
    // whose annotated image is not stored yet is redone, as above).
    void this.cache.set(key, result);
    return { ...result, stages_ms, cached: false, worker: this.config.instanceId, worker_ms: elapsed(started) };
  }

  /** A bare forward pass on a prepared tensor, for the benchmark's baseline. */
  async forward(tensor: Float32Array): Promise<ort.InferenceSession.ReturnType> {
    const size = this.model.inputSize;
    return this.model.session.run({ [this.model.inputName]: new ort.Tensor('float32', tensor, [1, 3, size, size]) });
  }

  private inlineImage(bytes: Buffer): Buffer {
    if (bytes.length > this.config.vision.maxImageBytes) {
      throw new RpcError(RpcErrorCode.InvalidParams, `The image is over ${this.config.vision.maxImageBytes} bytes`, { reason: ImageRejection.TooLarge });
    }
    return bytes;
  }

  private async readImage(key: string | undefined): Promise<Buffer> {
    const missing = () => new RpcError(RpcErrorCode.InvalidParams, 'The image file is not in shared storage (already removed?)', { reason: ImageRejection.Missing });
    // The path is a key of the media store: nothing else (`..`, an absolute path) is ever read.
    if (key === undefined || keyProblem(key)) throw new RpcError(RpcErrorCode.InvalidParams, 'The image path must stay inside the media storage', { reason: ImageRejection.Missing });
    const info = await this.store.stat(key);
    if (!info) throw missing();
    if (info.size > this.config.vision.maxImageBytes) {
      throw new RpcError(RpcErrorCode.InvalidParams, `The image is ${info.size} bytes; at most ${this.config.vision.maxImageBytes} are accepted`, { reason: ImageRejection.TooLarge });
    }
    const bytes = await this.store.read(key);
    if (!bytes) throw missing();
    return bytes;
  }

  /** The letterbox, into a tensor of the pool, and the forward pass. */
  private async infer(image: CheckedImage): Promise<{ output: ort.Tensor; geometry: LetterboxGeometry; inferenceStart: number }> {
    const tensor = this.tensors.pop() ?? new Float32Array(3 * this.model.inputSize ** 2);
    try {
      const input = await decodingOf(() => letterbox(image.open(), image.width, image.height, this.model.inputSize, image.pixels, tensor));
      const inferenceStart = performance.now();
      const outputs = await this.forward(input.tensor);
      return { output: outputs[this.model.outputName], geometry: input.geometry, inferenceStart };
    } finally {
      if (this.tensors.length < this.config.vision.workerConcurrency) this.tensors.push(tensor);
    }
  }

  private async run(
    bytes: Buffer,
    sha256: string,
    key: string,
    settings: { confidence: number; iou: number; max: number; thresholds: Record<string, number>; annotate: boolean },
  ): Promise<CachedDetection & Pick<DetectImageResult, 'stages_ms'>> {
    const decodeStart = performance.now();
    const image = await decodedOnceIfSmall(await checkImage(bytes, this.config.vision.maxImageSide));
    const { output, geometry, inferenceStart } = await this.infer(image);
    const inference_ms = elapsed(inferenceStart);
    const postprocessStart = performance.now();
    const detections = decodeYoloOutput(output.data as Float32Array, output.dims, geometry, {
      names: this.model.names,
      confidence: settings.confidence,
      classThresholds: settings.thresholds,
      iou: settings.iou,
      maxDetections: settings.max,
    });
    const postprocess = elapsed(postprocessStart);
    const annotateStart = performance.now();
    let annotated: string | undefined;
    if (settings.annotate) {
      annotated = annotatedName(key);
      // Drawn after the answer, once the worker has no image to detect; the letterbox is done with
      // the pixels, so they are drawn on in place.
      // A photo too large to keep decoded is decoded again to be drawn: it takes the whole backlog,
      // so it is drawn before the next image is decoded (one large decode at a time, the ZIP's peak).
      const holds = image.pixels?.length ?? this.annotations.backlogBytes;
      await this.annotations.schedule(annotated, holds, () => annotate(image.open(), image.width, image.height, detections, image.pixels));
    }
    const stages_ms = { decode: Math.round((inferenceStart - decodeStart) * 100) / 100, inference: inference_ms, postprocess, annotate: elapsed(annotateStart) };
    return { sha256, width: image.width, height: image.height, detections, inference_ms, model: { name: this.model.name, version: this.model.version }, annotated, stages_ms };
  }

}

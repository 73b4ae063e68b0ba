import { BadRequestException, HttpException, Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Detection } from '@fleet/contracts';
import type { ObjectStore } from '@fleet/storage';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { CatalogueService } from '../catalogue/catalogue.service';
import { incomingKeyOf, newIncomingPath } from '../media/media-paths';
import { VISION_STORE } from '../media/vision-store';
import { DetectionDispatcher, DispatchOutcome, ImageSource } from './detection-dispatcher';
import { compareKit, KitExpectation } from './kit-comparison';
import { PredictFieldsDto } from './predict.dto';
import { ImagePredictionView, PredictView } from './predict.view';
import { forEachZipEntry, ZipRefused } from './zip-entries';

/**
 * An uploaded photo as the upload storage left it: in memory while the request's inline budget
 * lasts (InlineOrDiskStorage), else on disk in the media store's scratch folder.
 */
export type UploadedImage = { originalname: string } & ({ buffer: Buffer; path?: undefined } | { path: string; buffer?: undefined });

/** A ZIP archive: always on disk (it is read entry by entry, and may be hundreds of megabytes). */
export interface UploadedArchive {
  originalname: string;
  path: string;
}

const DEFAULT_CONFIDENCE = 0.5;

/** Single, batch and ZIP predictions: uploads to the worker pool, results and kit comparison back. */
@Injectable()
export class PredictService {
  private readonly logger = new Logger(PredictService.name);

  constructor(
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
    @Inject(VISION_STORE) private readonly store: ObjectStore,
    private readonly dispatcher: DetectionDispatcher,
    private readonly catalogue: CatalogueService,
  ) {}

  async predictOne(file: UploadedImage | undefined, fields: PredictFieldsDto): Promise<PredictView> {
    if (!file) throw new BadRequestException('Send the photo as the multipart field "image"');
    return this.predictFiles([file], fields, true);
  }

  async predictBatch(files: UploadedImage[] | undefined, fields: PredictFieldsDto): Promise<PredictView> {
    if (!files?.length) throw new BadRequestException('Send the photos as the multipart field "images"');
    return this.predictFiles(files, fields, false);
  }

  /** Detects a set of uploaded files; those on disk are removed afterwards whatever happens. */
  async predictFiles(files: UploadedImage[], fields: PredictFieldsDto, single: boolean): Promise<PredictView> {
    const stored = files.flatMap((file) => (file.path === undefined ? [] : [incomingKeyOf(file.path)]));
    try {
      const started = performance.now();
      const kit = await this.kitOf(fields.toolkit_id);
      const confidence = fields.confidence ?? DEFAULT_CONFIDENCE;
      const sources = await Promise.all(files.map((file) => this.sourceOf(file)));
      const pool = this.dispatcher.createPool();
      const jobs = await Promise.all(sources.map((source) => pool.submit(source, confidence)));
      const outcomes = await Promise.all(jobs.map((job) => job.outcome));
      const results = outcomes.map((outcome, i) => this.toPrediction(files[i].originalname, outcome, fields.toolkit_id, kit));
      if (single) this.raiseForSingle(results[0]);
      return this.respond(results, confidence, fields.toolkit_id, kit, started);
    } finally {
      await Promise.all(stored.map((key) => this.store.delete(key).catch(() => undefined)));
      await this.discard(files);
    }
  }

  /** Removes uploads still in scratch (a request refused before its photos were detected). */
  async discard(files: UploadedImage[] | undefined): Promise<void> {
    await Promise.all((files ?? []).map((file) => file.path !== undefined && rm(file.path, { force: true })));
  }

  /** A photo held in memory goes inline; one on disk goes to shared storage and by key. */
  private async sourceOf(file: UploadedImage): Promise<ImageSource> {
    if (file.path === undefined) return { bytes: file.buffer };
    const key = incomingKeyOf(file.path);
    // On the shared directory the upload already is incoming/<name> (a rename onto itself); to a bucket it is uploaded.
    await this.store.moveIn(file.path, key);
    return { key };
  }

  async predictZip(file: UploadedArchive | undefined, fields: PredictFieldsDto): Promise<PredictView> {
    if (!file) throw new BadRequestException('Send the archive as the multipart field "zip_file"');
    const extracted: string[] = [];
    try {
      const started = performance.now();
      const kit = await this.kitOf(fields.toolkit_id);
      const confidence = fields.confidence ?? DEFAULT_CONFIDENCE;
      const pool = this.dispatcher.createPool();
      const pending: Array<Promise<ImagePredictionView>> = [];
      const { zip, maxImageBytes } = this.config.vision;
      const store = async (data: Readable) => {
        const key = newIncomingPath();
        extracted.push(key);
        await this.store.put(key, data);
        return key;
      };
      await forEachZipEntry(file.path, { ...zip, maxEntryBytes: maxImageBytes }, store, async (entry) => {
        if ('error' in entry) {
          pending.push(Promise.resolve({ filename: entry.name, success: false, detections: [], count: 0, error: entry.error }));
          return;
        }
        const job = await pool.submit({ key: entry.key }, confidence);
        // Each entry goes as soon as its detection is done, so a large archive never piles up in storage.
        pending.push(job.outcome.then((outcome) => this.toPrediction(entry.name, outcome, fields.toolkit_id, kit)).finally(() => this.store.delete(entry.key).catch(() => undefined)));
      });
      const results = await Promise.all(pending);
      if (results.length === 0) throw new BadRequestException('The ZIP archive holds no files');
      return this.respond(results, confidence, fields.toolkit_id, kit, started);
    } catch (error) {
      if (error instanceof ZipRefused) throw new HttpException({ statusCode: error.status, message: error.message, error: 'Refused' }, error.status);
      throw error;
    } finally {
      // The archive never left this instance's scratch; its entries went to the store.
      await this.discard([file]);
      await Promise.all(extracted.map((key) => this.store.delete(key).catch(() => undefined)));
    }
  }

  /** Detections of uploaded photos, for a toolkit return (no kit comparison: the caller compares). */
  async detectFiles(files: UploadedImage[], confidence: number): Promise<ImagePredictionView[]> {
    const response = await this.predictFiles(files, { confidence }, false);
    return response.results;
  }

  private async kitOf(toolkitId: string | undefined): Promise<KitExpectation[] | undefined> {
    if (!toolkitId) return undefined;
    const kit = await this.catalogue.expectationsOf(toolkitId);
    if (!kit) throw new NotFoundException(`Toolkit ${toolkitId} not found`);
    return kit;
  }

  private toPrediction(filename: string, outcome: DispatchOutcome, toolkitId: string | undefined, kit: KitExpectation[] | undefined): ImagePredictionView {
    if (!outcome.ok) return { filename, success: false, detections: [], count: 0, error: outcome.error };
    const r = outcome.result;
    return {
      filename,
      success: true,
      detections: r.detections,
      count: r.detections.length,
      width: r.width,
      height: r.height,
      inference_time_ms: r.inference_ms,
      worker_ms: r.worker_ms,
      stages_ms: r.stages_ms,
      cached: r.cached,
      worker: r.worker,
      model: r.model,
      annotated_image_url: r.annotated ? `/vision_api/media/${r.annotated}` : undefined,
      comparison: kit && toolkitId ? compareKit(toolkitId, kit, [r.detections]) : undefined,
    };
  }

  /** One image: its problem is the request's problem (422 for a bad image, 503 without workers). */
  private raiseForSingle(result: ImagePredictionView): void {
    if (result.success || !result.error) return;
    const { reason, message } = result.error;
    if (reason === 'unavailable' || reason === 'timeout') throw new ServiceUnavailableException(message);
    if (reason === 'failed') throw new HttpException({ statusCode: 502, message, error: 'Bad Gateway' }, 502);
    const status = reason === 'too_large' ? 413 : 422;
    throw new HttpException({ statusCode: status, message, reason, error: status === 413 ? 'Payload Too Large' : 'Unprocessable Entity' }, status);
  }

  private respond(results: ImagePredictionView[], confidence: number, toolkitId: string | undefined, kit: KitExpectation[] | undefined, started: number): PredictView {
    const ok = results.filter((r) => r.success);
    if (ok.length === 0 && results.some((r) => r.error?.reason === 'unavailable' || r.error?.reason === 'timeout')) {
      throw new ServiceUnavailableException('No vision worker is available right now; nothing was detected');
    }
    const detections: Detection[][] = ok.map((r) => r.detections);
    this.logger.log(`Predicted ${results.length} image(s), ${ok.length} ok, in ${Math.round(performance.now() - started)} ms`);
    return {
      model: ok[0]?.model ?? null,
      confidence,
      total_images: results.length,
      successful: ok.length,
      failed: results.length - ok.length,
      results,
      comparison: kit && toolkitId ? compareKit(toolkitId, kit, detections) : undefined,
      total_time_ms: Math.round((performance.now() - started) * 100) / 100,
    };
  }
}

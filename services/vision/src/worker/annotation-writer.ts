import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ObjectStore } from '@fleet/storage';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { annotatedKey } from '../media/media-paths';
import { PendingAnnotations } from '../media/pending-annotations';
import { VISION_STORE } from '../media/vision-store';

/**
 * Draws and stores annotated images after the worker has answered: the answer carries the
 * detections and the image's name, and a client that fetches it meanwhile is made to wait
 * (AnnotatedMedia). A detection starts decoding only while fewer drawings are pending than the
 * images a worker takes at once (VISION_WORKER_CONCURRENCY): with the default of 1 a worker still
 * holds one image at a time, the memory bound the ZIP benchmark checks.
 *
 * What is guaranteed: a worker that stops (SIGTERM) finishes its drawings first. One killed between
 * its answer and the drawing stores nothing: the URL answers 404 after VISION_ANNOTATION_WAIT_MS at
 * most, and the same request again draws it anew (a cached result whose image is missing is redone).
 */
@Injectable()
export class AnnotationWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(AnnotationWriter.name);
  private readonly drawing = new Set<Promise<void>>();

  constructor(
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
    @Inject(VISION_STORE) private readonly store: ObjectStore,
    private readonly pending: PendingAnnotations,
  ) {}

  /** Resolves once another drawing may be scheduled; a detection waits here before decoding its image. */
  async room(): Promise<void> {
    while (this.drawing.size >= this.config.vision.workerConcurrency) await Promise.race(this.drawing);
  }

  /** Announces `name` (readers wait for it from now on), then draws and stores it in the background. */
  async schedule(name: string, draw: () => Promise<Buffer>): Promise<void> {
    await this.pending.announce(name);
    const job = this.write(name, draw).finally(() => this.drawing.delete(job));
    this.drawing.add(job);
  }

  /** Drawings in progress were promised by answers already sent. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.drawing]);
  }

  private async write(name: string, draw: () => Promise<Buffer>): Promise<void> {
    try {
      // Stored whole (moved in, or one PUT): the HTTP instances never serve half a file.
      await this.store.put(annotatedKey(name), await draw());
    } catch (error) {
      this.logger.warn(`Annotated image ${name} not stored: ${(error as Error).message}`);
    } finally {
      await this.pending.settle(name);
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import type { ObjectStore } from '@fleet/storage';
import { VISION_CONFIG, VisionConfig } from '../config/vision.config';
import { annotatedKey } from './media-paths';
import { PendingAnnotations } from './pending-annotations';
import { VISION_STORE } from './vision-store';

/** Between two looks at an announced image; drawing one takes a few milliseconds. */
const LOOK_EVERY_MS = 10;

export interface AnnotatedImage {
  size: number;
  body: Readable;
}

/** Annotated images from shared storage, including those a worker has announced but not stored yet. */
@Injectable()
export class AnnotatedMedia {
  constructor(
    @Inject(VISION_CONFIG) private readonly config: VisionConfig,
    @Inject(VISION_STORE) private readonly store: ObjectStore,
    private readonly pending: PendingAnnotations,
  ) {}

  /**
   * The stored image, or undefined when there is none. A client fetching the URL right after the
   * predict answer may be faster than the worker's drawing: while the name is announced, this
   * looks again (at most VISION_ANNOTATION_WAIT_MS). A short bounded poll rather than a Redis
   * subscription: it is rarely more than one look, and needs no connection per instance.
   */
  async open(name: string): Promise<AnnotatedImage | undefined> {
    const deadline = Date.now() + this.config.vision.annotationWaitMs;
    for (;;) {
      const found = await this.find(name);
      if (found) return found;
      const waiting = Date.now() < deadline && (await this.pending.isPending(name));
      // The worker stores the image before withdrawing the announcement: one more look settles it.
      if (!waiting) return this.find(name);
      await sleep(LOOK_EVERY_MS);
    }
  }

  private async find(name: string): Promise<AnnotatedImage | undefined> {
    const key = annotatedKey(name);
    const info = await this.store.stat(key);
    const body = info && (await this.store.open(key));
    return info && body ? { size: info.size, body } : undefined;
  }
}

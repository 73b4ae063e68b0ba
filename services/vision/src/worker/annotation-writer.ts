import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ObjectStore } from '@fleet/storage';
import { annotatedKey } from '../media/media-paths';
import { PendingAnnotations } from '../media/pending-annotations';
import { VISION_STORE } from '../media/vision-store';

/**
 * Memory that drawings waiting for their turn may hold (the decoded pixels): 17 photos of 640 px,
 * half a batch of 32 per worker of two. A worker takes no new image while its backlog holds this
 * much. A photo too large to keep decoded counts as the whole backlog (the detector's choice), so
 * large photos are drawn one by one as before and a ZIP's memory peak does not move.
 */
export const ANNOTATION_BACKLOG_BYTES = 20 * 1024 * 1024;

/**
 * How long a worker must have had no image to detect before it draws. The next image of a batch
 * reaches a worker about a broker round trip after its answer (about a millisecond): a shorter
 * pause between images does not count as idle.
 */
export const ANNOTATION_IDLE_MS = 5;

interface Drawing {
  name: string;
  draw: () => Promise<Buffer>;
  /** What the drawing keeps alive until it has run. */
  bytes: number;
}

/**
 * Draws and stores annotated images after the worker has answered: the answer carries the
 * detections and the image's name, and a client that fetches it meanwhile is made to wait
 * (AnnotatedMedia). Detections come first: drawings queue while the worker has images to detect
 * (a batch's or a ZIP's photos go through back to back) and run, one at a time, once it has had
 * none for ANNOTATION_IDLE_MS, or at once when their backlog reaches ANNOTATION_BACKLOG_BYTES
 * (then the next detection waits for room, in `room()`).
 *
 * Detections run through {@link detection}, at most `detectionSlots` at once. The worker's
 * prefetch is one more than that, so while it works on an image it usually holds the next one,
 * waiting for its turn: that counts as work. Without it, "no image for ANNOTATION_IDLE_MS" was
 * the broker's round trip between two images of a batch, which a busy machine stretches past
 * the window: drawings then started mid-batch and took the CPU the other worker's detections needed.
 *
 * What is guaranteed: a worker that stops (SIGTERM) draws its whole backlog first. One killed between
 * its answer and the drawing stores nothing: the URL answers 404 after VISION_ANNOTATION_WAIT_MS at
 * most, and the same request again draws it anew (a cached result whose image is missing is redone).
 */
@Injectable()
export class AnnotationWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(AnnotationWriter.name);
  private readonly queue: Drawing[] = [];
  private running?: Promise<void>;
  private heldBytes = 0;
  private detecting = 0;
  /** Detections in hand, waiting for room or for their turn. */
  private waiting = 0;
  private readonly turnWaiters: Array<() => void> = [];
  private idleTimer?: NodeJS.Timeout;
  private readonly roomWaiters: Array<() => void> = [];
  private draining = false;
  /** The worker went idle: the backlog drains drawing after drawing until a detection starts. */
  private idle = false;

  /** What the backlog may hold (a test sets a smaller one). */
  backlogBytes = ANNOTATION_BACKLOG_BYTES;
  /** Waits ANNOTATION_IDLE_MS, then calls back; a test replaces it to decide when the worker is idle. */
  waitForIdle = (then: () => void): NodeJS.Timeout => setTimeout(then, ANNOTATION_IDLE_MS);

  constructor(
    @Inject(VISION_STORE) private readonly store: ObjectStore,
    private readonly pending: PendingAnnotations,
    /** Detections that run at once (VISION_WORKER_CONCURRENCY); more wait their turn. */
    private readonly detectionSlots = 1,
  ) {}

  /** Bytes the queued and running drawings keep alive. */
  get backlog(): number {
    return this.heldBytes;
  }

  /** Resolves once the backlog has room; a detection waits here before decoding its image. */
  async room(): Promise<void> {
    while (this.heldBytes >= this.backlogBytes) {
      await new Promise<void>((resolve) => {
        this.roomWaiters.push(resolve);
        this.pump();
      });
    }
  }

  /**
   * Runs one detection in its turn, once the backlog has room (waited for before the turn: making
   * room takes a drawing, and none starts while a detection runs). No drawing starts while a
   * detection runs or waits (one already started goes on).
   */
  async detection<T>(detect: () => Promise<T>): Promise<T> {
    this.waiting++;
    this.notIdle();
    try {
      await this.room();
      await this.turn();
    } finally {
      this.waiting--;
    }
    try {
      return await detect();
    } finally {
      this.detecting--;
      // The next in line takes the slot before anyone can see the worker as idle.
      const next = this.turnWaiters.shift();
      if (next) {
        this.detecting++;
        next();
      }
      this.pump();
    }
  }

  /** Resolves holding a detection slot (FIFO). */
  private turn(): Promise<void> {
    if (this.detecting < this.detectionSlots && this.turnWaiters.length === 0) {
      this.detecting++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.turnWaiters.push(resolve));
  }

  private notIdle(): void {
    this.idle = false;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** Announces `name` (readers wait for it from now on), then queues its drawing, which holds `bytes` until it has run. */
  async schedule(name: string, bytes: number, draw: () => Promise<Buffer>): Promise<void> {
    await this.pending.announce(name);
    this.queue.push({ name, draw, bytes });
    this.heldBytes += bytes;
    this.pump();
  }

  /** Answers already sent promised these images: every queued drawing runs before the worker stops. */
  async onApplicationShutdown(): Promise<void> {
    this.draining = true;
    clearTimeout(this.idleTimer);
    this.pump();
    while (this.running) await this.running;
  }

  /** Starts the next drawing if it is its turn, or arms the idle timer that will. */
  private pump(): void {
    if (this.running || !this.queue.length) return;
    const someoneWaits = this.roomWaiters.length > 0 || this.heldBytes >= this.backlogBytes;
    if (this.draining || (someoneWaits && this.detecting === 0)) return this.drawNext();
    if (this.busy() || this.idleTimer) return;
    this.idleTimer = this.waitForIdle(() => {
      this.idleTimer = undefined;
      if (this.busy()) return;
      this.idle = true;
      this.drawNext();
    });
    this.idleTimer.unref?.();
  }

  /** An image is being detected, or is in hand waiting for its turn. */
  private busy(): boolean {
    return this.detecting > 0 || this.waiting > 0;
  }

  private drawNext(): void {
    const next = this.queue.shift();
    if (!next || this.running) {
      if (next) this.queue.unshift(next);
      return;
    }
    this.running = this.write(next).finally(() => {
      this.running = undefined;
      this.heldBytes -= next.bytes;
      this.roomWaiters.splice(0).forEach((wake) => wake());
      // Idle, the backlog drains drawing after drawing; one drawn to make room lets the detection go first.
      if ((this.idle && !this.busy()) || (this.draining && this.detecting === 0)) this.drawNext();
      else this.pump();
    });
  }

  private async write({ name, draw }: Drawing): Promise<void> {
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

import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { PassThrough, type Readable } from 'node:stream';

type Done = (error?: unknown, info?: Partial<Express.Multer.File>) => void;

/**
 * Multer storage that keeps a request's photos in memory while they fit its inline budget, so they
 * reach the workers inside the message, with no write to shared storage and no read back. A photo
 * that would overrun the budget is written to disk by `disk` from its first byte on, and is sent
 * by key as before. A request thus holds at most `budgetBytes` in memory, whatever it uploads, and
 * all requests together at most `processBudgetBytes` (by default 16 requests' worth) until their
 * responses are sent: a burst of uploads spills to disk instead of growing the heap.
 */
export class InlineOrDiskStorage implements StorageEngine {
  private readonly left = new WeakMap<Request, number>();
  /** Bytes of photos in memory across every request in progress. */
  private held = 0;

  constructor(
    private readonly disk: StorageEngine,
    private readonly budgetBytes: number,
    private readonly processBudgetBytes = budgetBytes * 16,
  ) {}

  /** Photo bytes currently held in memory by requests in progress. */
  get heldBytes(): number {
    return this.held;
  }

  _handleFile(req: Request, file: Express.Multer.File, done: Done): void {
    const budget = this.left.get(req) ?? this.budgetBytes;
    const stream: Readable = file.stream;
    const chunks: Buffer[] = [];
    let size = 0;
    const detach = () => stream.off('data', onData).off('end', onEnd).off('error', onError);
    const onData = (chunk: Buffer) => {
      if (size + chunk.length <= budget && this.held + chunk.length <= this.processBudgetBytes) {
        size += chunk.length;
        this.held += chunk.length;
        chunks.push(chunk);
        return;
      }
      detach();
      this.held -= size;
      this.spill(req, file, [...chunks, chunk], done);
    };
    const onEnd = () => {
      detach();
      this.left.set(req, budget - size);
      this.holdUntilAnswered(req, size);
      done(null, { buffer: Buffer.concat(chunks, size), size });
    };
    const onError = (error: Error) => {
      detach();
      this.held -= size;
      done(error);
    };
    stream.on('data', onData).once('end', onEnd).once('error', onError);
  }

  _removeFile(req: Request, file: Express.Multer.File, done: (error: Error | null) => void): void {
    if (file.path) this.disk._removeFile(req, file, done);
    else done(null);
  }

  /** The photo's bytes count against the process budget until the request's response is done (sent or aborted). */
  private holdUntilAnswered(req: Request, size: number): void {
    const release = () => (this.held -= size);
    if (req.res) req.res.once('close', release);
    else release(); // no response to wait for (not an Express request): nothing outlives the call
  }

  /** Hands the photo to the disk storage: what was read so far, then the rest of the stream. */
  private spill(req: Request, file: Express.Multer.File, head: Buffer[], done: Done): void {
    const rest: Readable = file.stream;
    // Still inside the 'data' event that overran the budget: nothing is emitted before the pipe.
    rest.pause();
    const whole = new PassThrough();
    for (const chunk of head) whole.write(chunk);
    rest.once('error', (error) => whole.destroy(error));
    rest.pipe(whole);
    Object.defineProperty(file, 'stream', { configurable: true, enumerable: false, value: whole });
    this.disk._handleFile(req, file, done);
  }
}

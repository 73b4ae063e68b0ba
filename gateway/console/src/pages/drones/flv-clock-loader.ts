import type Mpegts from 'mpegts.js';
import { FlvStartReader } from './flv-start';

/** mpegts.js's LoaderStatus values (the package does not export them for ES imports). */
const Status = { Idle: 0, Connecting: 1, Buffering: 2, Error: 3, Complete: 4 } as const;
type LoaderError = Parameters<Mpegts.BaseLoader['onError']>[0];

/**
 * mpegts.js's streaming fetch, plus a look at the first bytes: the loader hands every chunk to the
 * player unchanged and tells `onBase` the FLV timestamp the player rebases to 0 (see FlvStartReader).
 * mpegts.js builds loaders itself, so this returns a class bound to the callback.
 */
export function clockLoader(onBase: (baseMs: number) => void): Mpegts.CustomLoaderConstructor {
  return class FlvClockLoader implements Mpegts.BaseLoader {
    _status: number = Status.Idle;
    _needStash = true;
    onContentLengthKnown: Mpegts.BaseLoader['onContentLengthKnown'] = () => undefined;
    onURLRedirect: Mpegts.BaseLoader['onURLRedirect'] = () => undefined;
    onDataArrival: Mpegts.BaseLoader['onDataArrival'] = () => undefined;
    onError: Mpegts.BaseLoader['onError'] = () => undefined;
    onComplete: Mpegts.BaseLoader['onComplete'] = () => undefined;
    private controller: AbortController | null = null;
    private readonly start = new FlvStartReader();

    get type(): string {
      return 'flv-clock-fetch';
    }

    get status(): number {
      return this._status;
    }

    get needStashBuffer(): boolean {
      return this._needStash;
    }

    isWorking(): boolean {
      return this._status === Status.Connecting || this._status === Status.Buffering;
    }

    open(dataSource: Mpegts.MediaSegment, range: Mpegts.Range): void {
      this.controller = new AbortController();
      this._status = Status.Connecting;
      void this.read(dataSource.url, range.from, this.controller.signal);
    }

    abort(): void {
      this.controller?.abort();
      if (this._status !== Status.Error) this._status = Status.Complete;
    }

    destroy(): void {
      if (this.isWorking()) this.abort();
      this._status = Status.Idle;
      this.onDataArrival = this.onError = this.onComplete = () => undefined;
    }

    private async read(url: string, from: number, signal: AbortSignal): Promise<void> {
      let received = 0;
      try {
        const response = await fetch(url, { signal, cache: 'no-store' });
        if (!response.ok || !response.body) {
          this._status = Status.Error;
          this.onError('HttpStatusCodeInvalid' as unknown as LoaderError, { code: response.status, msg: `${response.status} ${response.statusText}` });
          return;
        }
        this._status = Status.Buffering;
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const base = this.start.feed(value);
          if (base !== null) onBase(base);
          this.onDataArrival(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength), from + received, received + value.byteLength);
          received += value.byteLength;
        }
        this._status = Status.Complete;
        this.onComplete(from, from + received - 1);
      } catch (error) {
        if (signal.aborted) return;
        this._status = Status.Error;
        this.onError((received > 0 ? 'EarlyEof' : 'Exception') as unknown as LoaderError, { code: -1, msg: error instanceof Error ? error.message : String(error) });
      }
    }
  };
}

import WebSocket from 'ws';
import type { VideoWsServerFrame } from '@fleet/contracts';

/** A live-feed WebSocket client for tests: collects frames and waits for the ones it needs. */
export class VideoFeedClient {
  readonly frames: VideoWsServerFrame[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as VideoWsServerFrame);
      this.waiters.forEach((wake) => wake());
    });
  }

  static async connect(url: string, token: string): Promise<VideoFeedClient> {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    const client = new VideoFeedClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    await client.waitFor((frame) => frame.type === 'welcome');
    return client;
  }

  send(frame: object): void {
    this.socket.send(JSON.stringify(frame));
  }

  async waitFor<T extends VideoWsServerFrame>(match: (frame: VideoWsServerFrame) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found as T;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.waiters = [];
    }
  }

  close(): void {
    this.socket.close();
  }
}

/** Polls `read` until `ok` holds for its value (or the time is up, then throws with the last value). */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000, periodMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, periodMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}

/** `promise`, or a rejection naming the time once `ms` have passed without it settling. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

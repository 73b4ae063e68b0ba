import WebSocket from 'ws';
import { VideoWsCloseCode, VideoWsServerFrame } from '@fleet/contracts';
import { videoMetrics } from '../video.metrics';

/** Above this many unsent bytes a client is congested: telemetry is sampled (latest per drone). */
export const FEED_SOFT_LIMIT_BYTES = 256 * 1024;
/** Above this a client is dropped: even sampled frames and stream events do not get through. */
export const FEED_HARD_LIMIT_BYTES = 2 * 1024 * 1024;
const FLUSH_PERIOD_MS = 50;
const TERMINATE_AFTER_CLOSE_MS = 2000;

/**
 * One live-feed socket. While it keeps up, every frame is sent; once its send buffer passes the
 * soft limit, telemetry for a drone is held as "the latest sample only" and sent when the buffer
 * drains (marked `sampled`), so memory per client is bounded by its subscriptions; past the hard
 * limit it is closed (4408) and may reconnect.
 */
export class FeedClient {
  readonly drones = new Set<string>();
  private readonly held = new Map<string, VideoWsServerFrame>();
  private flushTimer: NodeJS.Timeout | undefined;
  sampledFrames = 0;

  constructor(readonly socket: WebSocket) {}

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(frame: VideoWsServerFrame): void {
    this.write(Buffer.from(JSON.stringify(frame)));
  }

  /** A frame already serialised once for every subscriber. */
  deliver(droneId: string, droppable: boolean, frame: VideoWsServerFrame, data: Buffer): void {
    if (!this.open) return;
    if (droppable && (this.socket.bufferedAmount > FEED_SOFT_LIMIT_BYTES || this.held.size > 0)) {
      if (this.held.has(droneId)) {
        this.sampledFrames += 1;
        videoMetrics.feedSampled.inc();
      }
      this.held.set(droneId, frame);
      this.flushTimer ??= setInterval(() => this.flush(), FLUSH_PERIOD_MS);
      return;
    }
    this.write(data);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.CLOSING || this.socket.readyState === WebSocket.CLOSED) return;
    this.dispose();
    this.socket.close(code, reason);
    // A client that does not read never acknowledges the close; do not keep its buffer.
    setTimeout(() => this.socket.terminate(), TERMINATE_AFTER_CLOSE_MS).unref();
  }

  dispose(): void {
    clearInterval(this.flushTimer);
    this.flushTimer = undefined;
    this.held.clear();
  }

  private flush(): void {
    if (!this.open) return this.dispose();
    if (this.socket.bufferedAmount > FEED_SOFT_LIMIT_BYTES) return;
    const frames = [...this.held.values()];
    this.held.clear();
    clearInterval(this.flushTimer);
    this.flushTimer = undefined;
    for (const frame of frames) this.write(Buffer.from(JSON.stringify(frame.type === 'telemetry' ? { ...frame, sampled: true } : frame)));
  }

  private write(data: Buffer): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount + data.length > FEED_HARD_LIMIT_BYTES) {
      videoMetrics.feedDropped.inc();
      this.close(VideoWsCloseCode.SlowConsumer, 'too slow: live feed backlog over its bound');
      return;
    }
    this.socket.send(data, { binary: false });
  }
}

import { NmsPacket } from './nms';

const FPS_WINDOW_MS = 5000;
const RATE_WINDOW_SAMPLES = 5;

/** What a live stream looks like right now, as measured from its packets and byte counters. */
export interface MeterReading {
  fps: number | null;
  keyframeIntervalMs: number | null;
  bitrateInKbps: number | null;
  bitrateOutKbps: number | null;
  /** Latest video timestamp (ms, the stream's clock) and the wall time it arrived. */
  clock: { streamMs: number; atMs: number } | null;
}

/**
 * Measures one publish session: frame rate and keyframe interval from video packet timestamps,
 * bit rates from byte counters sampled once a second. Memory is bounded: at most FPS_WINDOW_MS
 * of frame timestamps and RATE_WINDOW_SAMPLES samples.
 */
export class StreamMeter {
  private readonly frameDts: number[] = [];
  private lastKeyframeDts: number | null = null;
  private keyframeIntervalMs: number | null = null;
  private clock: { streamMs: number; atMs: number } | null = null;
  private readonly samples: Array<{ t: number; inBytes: number; outBytes: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  observe(packet: NmsPacket): void {
    // node-media-server's video flags: 3 = keyframe, 4 = inter frame (2 is the codec header).
    if (packet.codec_type !== 9 || (packet.flags !== 3 && packet.flags !== 4)) return;
    this.clock = { streamMs: packet.dts, atMs: this.now() };
    this.frameDts.push(packet.dts);
    while (this.frameDts.length > 2 && packet.dts - this.frameDts[0] > FPS_WINDOW_MS) this.frameDts.shift();
    if (packet.flags === 3) {
      if (this.lastKeyframeDts !== null && packet.dts > this.lastKeyframeDts) this.keyframeIntervalMs = packet.dts - this.lastKeyframeDts;
      this.lastKeyframeDts = packet.dts;
    }
  }

  /** Records the byte counters; call once a second. */
  sample(inBytes: number, outBytes: number): void {
    this.samples.push({ t: this.now(), inBytes, outBytes });
    if (this.samples.length > RATE_WINDOW_SAMPLES + 1) this.samples.shift();
  }

  read(): MeterReading {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = first && last && last.t > first.t ? (last.t - first.t) / 1000 : 0;
    const kbps = (bytes: number) => (seconds > 0 ? Math.round((bytes * 8) / 1000 / seconds) : null);
    const span = this.frameDts.length > 1 ? this.frameDts[this.frameDts.length - 1] - this.frameDts[0] : 0;
    return {
      fps: span > 0 ? Math.round(((this.frameDts.length - 1) * 1000 * 10) / span) / 10 : null,
      keyframeIntervalMs: this.keyframeIntervalMs,
      bitrateInKbps: seconds > 0 ? kbps(last.inBytes - first.inBytes) : null,
      bitrateOutKbps: seconds > 0 ? kbps(Math.max(0, last.outBytes - first.outBytes)) : null,
      clock: this.clock,
    };
  }
}

/**
 * Maps a wall-clock instant onto the stream's clock: the latest frame's timestamp plus the time
 * since it arrived. Null when no frame has been seen.
 */
export function streamMsAt(clock: { streamMs: number; atMs: number } | null, wallMs: number): number | null {
  if (!clock) return null;
  return Math.max(0, Math.round(clock.streamMs + (wallMs - clock.atMs)));
}

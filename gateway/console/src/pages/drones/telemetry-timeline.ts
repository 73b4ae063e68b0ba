import type { TelemetrySample } from './drones-api';

/** Stream time kept behind the newest sample: the picture on screen lags the feed by seconds. */
const KEEP_MS = 60_000;
const MAX_SAMPLES = 3_000;

/**
 * The samples of one drone ordered on the stream clock, so the overlay can show the one that
 * belongs to the frame on screen: the latest sample whose `stream_ms` is not after the frame's.
 * Samples without a stream position (no stream was live) cannot be placed and are left out.
 */
export class TelemetryTimeline {
  private samples: TelemetrySample[] = [];

  get size(): number {
    return this.samples.length;
  }

  add(incoming: TelemetrySample[]): void {
    const placed = incoming.filter((sample) => sample.stream_ms !== null);
    if (placed.length === 0) return;
    const merged = [...this.samples, ...placed].sort((a, b) => a.stream_ms! - b.stream_ms! || a.ts.localeCompare(b.ts));
    const newest = merged[merged.length - 1].stream_ms!;
    const kept = merged.filter((sample) => sample.stream_ms! >= newest - KEEP_MS);
    this.samples = kept.slice(-MAX_SAMPLES);
  }

  /** The sample for the frame at `streamMs`, or null when every sample is later than it. */
  at(streamMs: number): TelemetrySample | null {
    let low = 0;
    let high = this.samples.length - 1;
    let found: TelemetrySample | null = null;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (this.samples[middle].stream_ms! <= streamMs) {
        found = this.samples[middle];
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  /** A restarted stream starts its clock again: what was kept belongs to the old one. */
  clear(): void {
    this.samples = [];
  }
}

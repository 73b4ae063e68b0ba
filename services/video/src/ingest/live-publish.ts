import { randomUUID } from 'node:crypto';
import { LiveStreamStats } from '../streams/stream.types';
import { KeyRevocation } from './stream-keys';
import { codecName, NmsBroadcast, NmsSession } from './nms';
import { Recording } from './recorder';
import { StreamMeter } from './stream-meter';

export type PublishEndReason = KeyRevocation | 'publisher disconnected' | 'server shutting down';

/** What a publish was when it ended: the closing values of its history row. */
export interface PublishEnd {
  reason: PublishEndReason;
  endedAt: Date;
  bytes: number;
  videoCodec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
}

/**
 * One accepted RTMP publish, from node-media-server's postPublish until it ends: one row of the
 * connection history. It ends exactly once, whichever comes first (its connection closing, its
 * key being rotated, its drone retired, the server stopping), and its closing values are frozen
 * at that moment.
 */
export class LivePublish {
  readonly sessionId = randomUUID();
  readonly startedAt = new Date();
  readonly meter = new StreamMeter();
  /** Bytes sent to viewers that have left (the broadcast only holds current ones). */
  pastViewerBytes = 0;
  recording?: Recording;
  /** Settles once the history row is written; its end is written only after it. */
  recorded: Promise<void> = Promise.resolve();
  private ending: PublishEnd | undefined;

  constructor(
    readonly droneId: string,
    readonly session: NmsSession,
    /** The broadcast this publish feeds (held, not looked up: a path's broadcast can be replaced). */
    readonly broadcast: NmsBroadcast,
  ) {}

  get ended(): boolean {
    return this.ending !== undefined;
  }

  /** Freezes the closing values; only the first call gets them (later calls get undefined). */
  end(reason: PublishEndReason): PublishEnd | undefined {
    if (this.ending) return undefined;
    const { session } = this;
    this.ending = {
      reason,
      endedAt: new Date(),
      bytes: session.inBytes,
      videoCodec: codecName(session.videoCodec),
      width: session.videoWidth || null,
      height: session.videoHeight || null,
      fps: this.meter.read().fps,
    };
    return this.ending;
  }

  viewers(): NmsSession[] {
    return [...this.broadcast.subscribers.values()];
  }

  /** The statistics every instance reads from the live registry; call once a second. */
  stats(owner: { instance: string; url: string }): LiveStreamStats {
    const { session } = this;
    const viewers = this.viewers().filter((viewer) => viewer.ip !== '');
    const bytesOut = this.pastViewerBytes + viewers.reduce((sum, viewer) => sum + viewer.outBytes, 0);
    this.meter.sample(session.inBytes, bytesOut);
    const reading = this.meter.read();
    return {
      drone_id: this.droneId,
      live: true,
      since: this.startedAt.toISOString(),
      session_id: this.sessionId,
      instance: owner.instance,
      instance_url: owner.url,
      video: {
        codec: codecName(session.videoCodec),
        width: session.videoWidth || null,
        height: session.videoHeight || null,
        fps: reading.fps,
        keyframe_interval_ms: reading.keyframeIntervalMs,
      },
      audio: { codec: codecName(session.audioCodec), sample_rate: session.audioSamplerate || null, channels: session.audioChannels || null },
      bitrate_in_kbps: reading.bitrateInKbps,
      bitrate_out_kbps: reading.bitrateOutKbps,
      bytes_in: session.inBytes,
      bytes_out: bytesOut,
      viewers: viewers.length,
      clock: reading.clock ? { stream_ms: reading.clock.streamMs, at: new Date(reading.clock.atMs).toISOString() } : null,
      updated_at: new Date().toISOString(),
    };
  }
}

/** The closing values of a publish whose process died, as its last statistics showed it. */
export function endFromLastStats(stats: LiveStreamStats): Omit<PublishEnd, 'reason'> & { sessionId: string } {
  return {
    sessionId: stats.session_id,
    endedAt: new Date(stats.updated_at),
    bytes: stats.bytes_in,
    videoCodec: stats.video.codec,
    width: stats.video.width,
    height: stats.video.height,
    fps: stats.video.fps,
  };
}

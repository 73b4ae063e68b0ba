import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import Redis from 'ioredis';
import { RpcClient } from '@fleet/messaging';
import { REDIS_SUBSCRIBER } from '@fleet/redis';
import { StreamEventParams, StreamPublished, StreamUnpublished } from '@fleet/contracts';
import { VIDEO_CONFIG, VideoConfig } from '../config/video.config';
import { STREAM_KEYS_CHANNEL } from '../drones/drone.types';
import { DronesRepository } from '../drones/drones.repository';
import { LiveRegistry } from '../streams/live-registry';
import { SessionsRepository } from '../streams/sessions.repository';
import { LiveStreamStats } from '../streams/stream.types';
import { createFlvViewer } from './flv-viewer';
import { Recording, recordingPattern, startRecording } from './recorder';
import { codecName, loadNms, NmsBroadcast, NmsModules, NmsPacket, NmsRtmpServer, NmsSession } from './nms';
import { StreamMeter } from './stream-meter';
import { videoMetrics } from '../video.metrics';

const STATS_PERIOD_MS = 1000;
/** Safety net under the pub/sub announcement of key changes. */
const KEY_RELOAD_PERIOD_MS = 10_000;
const RTMP_APP = 'live';

interface LiveEntry {
  droneId: string;
  sessionId: string;
  session: NmsSession;
  streamPath: string;
  startedAt: Date;
  meter: StreamMeter;
  /** Bytes sent to viewers that have left (the broadcast only holds current ones). */
  pastViewerBytes: number;
  recording?: Recording;
}

/**
 * The RTMP ingest (only on the instance that owns the port): node-media-server's RTMP server,
 * with the stream key checked in prePublish. node-media-server emits prePublish synchronously
 * and offers no async hook, so keys are checked against an in-memory cache of the active keys,
 * reloaded whenever an instance announces a change (and every 10 s); a key that stops being
 * valid also cuts off its live publisher at once.
 */
@Injectable()
export class IngestService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger(IngestService.name);
  private nms: NmsModules | undefined;
  private server: NmsRtmpServer | undefined;
  private keys = new Map<string, { droneId: string; record: boolean }>();
  private readonly refused = new WeakSet<NmsSession>();
  private readonly live = new Map<string, LiveEntry>();
  private readonly timers: NodeJS.Timeout[] = [];
  private listening = false;

  constructor(
    @Inject(VIDEO_CONFIG) private readonly config: VideoConfig,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: Redis,
    private readonly drones: DronesRepository,
    private readonly sessions: SessionsRepository,
    private readonly registry: LiveRegistry,
    private readonly rpc: RpcClient,
  ) {}

  get enabled(): boolean {
    return this.config.ingest.enabled;
  }

  /** Health probe: the RTMP port is bound (instances without ingest have nothing to check). */
  async probe(): Promise<void> {
    if (this.enabled && !this.listening) throw new Error(`RTMP ingest not listening on ${this.config.ingest.port}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) {
      this.logger.log('RTMP ingest disabled on this instance (VIDEO_INGEST_INSTANCE names another)');
      return;
    }
    const orphans = await this.sessions.closeOrphans(this.config.instanceId);
    if (orphans > 0) this.logger.warn(`closed ${orphans} session(s) left open by this instance's previous run`);
    await this.reloadKeys();
    this.subscriber.on('message', this.onAnnouncement);
    await this.subscriber.subscribe(STREAM_KEYS_CHANNEL);
    this.nms = loadNms(this.config.ingest);
    const events = this.nms.context.eventEmitter;
    events.on('prePublish', this.onPrePublish);
    events.on('postPublish', this.onPostPublish);
    events.on('donePublish', this.onDonePublish);
    events.on('prePlay', this.onPrePlay);
    this.server = this.nms.createRtmpServer();
    this.server.run();
    await new Promise<void>((resolve) => this.server!.tcpServer!.once('listening', resolve));
    this.listening = true;
    this.logger.log(`RTMP ingest listening on ${this.config.ingest.bind}:${this.config.ingest.port} (rtmp://<host>:${this.config.ingest.port}/${RTMP_APP}/<stream key>)`);
    this.timers.push(setInterval(() => void this.publishStats(), STATS_PERIOD_MS));
    this.timers.push(setInterval(() => void this.reloadKeys().catch((error: Error) => this.logger.warn(`key reload failed: ${error.message}`)), KEY_RELOAD_PERIOD_MS));
    this.timers.forEach((timer) => timer.unref());
  }

  /** Publishers are cut off and their sessions closed in Postgres before the pool goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    this.timers.forEach(clearInterval);
    if (!this.nms) return;
    this.server?.stop();
    this.listening = false;
    await Promise.allSettled([...this.live.values()].map((entry) => this.finish(entry, 'server shutting down')));
  }

  onModuleDestroy(): void {
    this.subscriber.off('message', this.onAnnouncement);
  }

  /** Attaches an HTTP-FLV viewer to a drone's live stream on this instance. */
  attachViewer(droneId: string, res: ServerResponse, clientAddress: string): { sessionId: string } {
    const entry = this.live.get(droneId);
    const broadcast = entry && this.broadcastOf(entry);
    if (!entry || !broadcast || !this.nms) throw new NotFoundException(`Drone ${droneId} is not live`);
    const sessionId = randomUUID();
    const startedAt = new Date();
    const viewer = createFlvViewer(this.nms, res, clientAddress, () => this.logger.warn(`viewer ${sessionId} of ${droneId} too slow; cut off`));
    res.writeHead(200, { 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    const error = broadcast.postPlay(viewer);
    if (error !== null) throw new NotFoundException(error);
    void this.sessions
      .start({ id: sessionId, droneId, kind: 'play', clientAddress, instance: this.config.instanceId, startedAt })
      .catch((err: Error) => this.logger.error(`cannot record play session ${sessionId}: ${err.message}`));
    res.on('close', () => {
      broadcast.donePlay(viewer);
      entry.pastViewerBytes += viewer.outBytes;
      void this.sessions
        .end(sessionId, { endedAt: new Date(), bytes: viewer.outBytes, reason: 'viewer left' })
        .catch((err: Error) => this.logger.error(`cannot close play session ${sessionId}: ${err.message}`));
    });
    return { sessionId };
  }

  private readonly onAnnouncement = (channel: string): void => {
    if (channel === STREAM_KEYS_CHANNEL) void this.reloadKeys().catch((error: Error) => this.logger.warn(`key reload failed: ${error.message}`));
  };

  private async reloadKeys(): Promise<void> {
    const rows = await this.drones.getActiveStreamKeys();
    this.keys = new Map(rows.map((row) => [row.streamKey, { droneId: row.id, record: row.record }]));
    // A rotated or retired key stops working at once, also for the publisher using it now.
    for (const entry of this.live.values()) {
      if (this.keys.get(entry.session.streamName)?.droneId !== entry.droneId) {
        this.logger.log(`drone ${entry.droneId}: stream key no longer valid; cutting off its publisher`);
        entry.session.close();
      }
    }
  }

  private readonly onPrePublish = (session: NmsSession): void => {
    const droneId = session.streamApp === RTMP_APP ? this.keys.get(session.streamName)?.droneId : undefined;
    const broadcast = this.nms?.context.broadcasts.get(session.streamPath);
    // node-media-server still registers a refused publisher and keeps it for the grace window
    // (30 s by default); ours is short, so a refused path is free again quickly.
    if (broadcast) broadcast.publishGraceMs = this.config.ingest.publishGraceMs;
    if (!droneId) return this.refuse(session, 'unknown_key', 'unknown, rotated or retired stream key');
    if (broadcast?.getPublishStatus() === 'publishing') return this.refuse(session, 'already_live', `drone ${droneId} is already live`);
  };

  /**
   * RTMP playback would only need the stream key, which viewers must never hold: viewers watch
   * through /live/<drone id>.flv, so RTMP play is refused (our FLV viewers come through here too).
   */
  private readonly onPrePlay = (session: NmsSession): void => {
    if (session.protocol !== 'rtmp') return;
    this.logger.warn(`refused RTMP play from ${session.ip}: viewers use /live/<drone id>.flv`);
    session.close();
  };

  private refuse(session: NmsSession, code: 'unknown_key' | 'already_live', reason: string): void {
    this.refused.add(session);
    videoMetrics.publishRefused.inc({ reason: code });
    // The key itself never reaches a log.
    this.logger.warn(`refused RTMP publish from ${session.ip}: ${reason}`);
    session.close();
  }

  private readonly onPostPublish = (session: NmsSession): void => {
    if (this.refused.has(session)) return;
    const { droneId, record } = this.keys.get(session.streamName)!;
    const meter = new StreamMeter();
    this.watchPackets(session, meter);
    const resumed = this.live.get(droneId);
    if (resumed && resumed.streamPath === session.streamPath) {
      // The same client came back within the grace window: same history row, fresh meter.
      Object.assign(resumed, { session, meter });
      this.logger.log(`drone ${droneId} resumed its publish session ${resumed.sessionId}`);
      return;
    }
    const entry: LiveEntry = { droneId, sessionId: randomUUID(), session, streamPath: session.streamPath, startedAt: new Date(), meter, pastViewerBytes: 0 };
    this.live.set(droneId, entry);
    this.logger.log(`drone ${droneId} live from ${session.ip} (session ${entry.sessionId})${record ? ', recording' : ''}`);
    const broadcast = this.broadcastOf(entry);
    if (record && broadcast && this.nms) {
      const pattern = recordingPattern(this.config.recording.dir, droneId, entry.sessionId, entry.startedAt);
      entry.recording = startRecording(this.nms, broadcast, { pattern, segmentS: this.config.recording.segmentS }, this.logger);
    }
    void this.sessions
      .start({ id: entry.sessionId, droneId, kind: 'publish', clientAddress: addressOf(session.ip), instance: this.config.instanceId, startedAt: entry.startedAt })
      .then(() => this.announce(entry, 'published'))
      .catch((error: Error) => this.logger.error(`cannot record publish session ${entry.sessionId}: ${error.message}`));
  };

  private readonly onDonePublish = (session: NmsSession): void => {
    if (this.refused.has(session)) return;
    const entry = [...this.live.values()].find((candidate) => candidate.session === session);
    if (entry) void this.finish(entry, 'publisher disconnected');
  };

  private async finish(entry: LiveEntry, reason: string): Promise<void> {
    if (this.live.get(entry.droneId) !== entry) return;
    this.live.delete(entry.droneId);
    const { session } = entry;
    const reading = entry.meter.read();
    await entry.recording?.stop();
    // Viewers would otherwise wait on a silent connection; ended, their players reconnect.
    this.broadcastOf(entry)?.subscribers.forEach((viewer) => viewer.close());
    this.logger.log(`drone ${entry.droneId} publish session ${entry.sessionId} ended (${reason}), ${session.inBytes} bytes in`);
    try {
      await this.sessions.end(entry.sessionId, {
        endedAt: new Date(session.endTime || Date.now()),
        bytes: session.inBytes,
        reason,
        videoCodec: codecName(session.videoCodec),
        width: session.videoWidth || null,
        height: session.videoHeight || null,
        fps: reading.fps,
      });
      await this.registry.remove(entry.droneId, entry.sessionId);
      await this.announce(entry, 'unpublished');
    } catch (error) {
      this.logger.error(`cannot close publish session ${entry.sessionId}: ${(error as Error).message}`);
    }
  }

  private async announce(entry: LiveEntry, state: 'published' | 'unpublished'): Promise<void> {
    const params: StreamEventParams = {
      droneId: entry.droneId,
      sessionId: entry.sessionId,
      state,
      at: new Date().toISOString(),
      instance: this.config.instanceId,
      bytesIn: entry.session.inBytes,
    };
    await this.rpc.emit(state === 'published' ? StreamPublished : StreamUnpublished, params).catch((error: Error) => {
      this.logger.warn(`cannot emit the ${state} event of drone ${entry.droneId}: ${error.message}`);
    });
  }

  private watchPackets(session: NmsSession, meter: StreamMeter): void {
    const parser = session.rtmp;
    if (!parser) return;
    const forward = parser.onPacketCallback;
    parser.onPacketCallback = (packet: NmsPacket) => {
      meter.observe(packet);
      forward(packet);
    };
  }

  private broadcastOf(entry: LiveEntry): NmsBroadcast | undefined {
    return this.nms?.context.broadcasts.get(entry.streamPath);
  }

  private async publishStats(): Promise<void> {
    const stats = [...this.live.values()].map((entry) => this.statsOf(entry));
    videoMetrics.liveStreams.set(stats.length);
    videoMetrics.viewers.set(stats.reduce((sum, s) => sum + s.viewers, 0));
    await this.registry.put(stats).catch((error: Error) => this.logger.debug(`cannot publish stream stats: ${error.message}`));
  }

  private statsOf(entry: LiveEntry): LiveStreamStats {
    const { session } = entry;
    const viewers = [...(this.broadcastOf(entry)?.subscribers.values() ?? [])];
    const bytesOut = entry.pastViewerBytes + viewers.reduce((sum, viewer) => sum + viewer.outBytes, 0);
    entry.meter.sample(session.inBytes, bytesOut);
    const reading = entry.meter.read();
    return {
      drone_id: entry.droneId,
      live: true,
      since: entry.startedAt.toISOString(),
      session_id: entry.sessionId,
      instance: this.config.instanceId,
      instance_url: this.config.playback.advertiseUrl,
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

/** node-media-server's session ip is "address:port". */
function addressOf(ip: string): string {
  return ip.replace(/:\d+$/, '').replace(/^::ffff:/, '');
}

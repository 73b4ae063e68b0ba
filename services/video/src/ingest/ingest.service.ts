import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { RpcClient } from '@fleet/messaging';
import { StreamEventParams, StreamPublished, StreamUnpublished } from '@fleet/contracts';
import { VIDEO_CONFIG, VideoConfig } from '../config/video.config';
import { LiveRegistry } from '../streams/live-registry';
import { SessionsRepository } from '../streams/sessions.repository';
import { createFlvViewer } from './flv-viewer';
import { endFromLastStats, LivePublish, PublishEnd, PublishEndReason } from './live-publish';
import { recordingPattern, startRecording } from './recorder';
import { loadNms, NmsModules, NmsPacket, NmsRtmpServer, NmsSession } from './nms';
import { StreamKeyCache } from './stream-keys';
import { videoMetrics } from '../video.metrics';

const STATS_PERIOD_MS = 1000;
const RTMP_APP = 'live';

/**
 * The RTMP ingest (only on the instance that owns the port): node-media-server's RTMP server,
 * with the stream key checked in prePublish against the in-memory key cache.
 *
 * Every accepted publish is a LivePublish that this service ends itself, exactly once: when its
 * own connection closes, when its key stops working (rotated, retired) or at shutdown. It never
 * waits for node-media-server's donePublish, which comes after a grace window and, within it, for
 * whichever client published next on the same path. That grace is switched off: a reconnect is a
 * new publish with its own history row, and a refused publisher cannot inherit anything.
 */
@Injectable()
export class IngestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(IngestService.name);
  private nms: NmsModules | undefined;
  private server: NmsRtmpServer | undefined;
  private readonly refused = new WeakSet<NmsSession>();
  private readonly live = new Map<string, LivePublish>();
  /** History writes of ended publishes still in flight (shutdown waits for them). */
  private readonly closing = new Set<Promise<void>>();
  private statsTimer: NodeJS.Timeout | undefined;
  private listening = false;

  constructor(
    @Inject(VIDEO_CONFIG) private readonly config: VideoConfig,
    private readonly keys: StreamKeyCache,
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
    await this.closeSessionsOfPreviousRun();
    await this.keys.start(this.cutOffRevokedPublishers);
    this.nms = loadNms(this.config.ingest);
    const events = this.nms.context.eventEmitter;
    events.on('prePublish', this.onPrePublish);
    events.on('postPublish', this.onPostPublish);
    events.on('prePlay', this.onPrePlay);
    this.server = this.nms.createRtmpServer();
    this.server.run();
    await new Promise<void>((resolve) => this.server!.tcpServer!.once('listening', resolve));
    this.listening = true;
    this.logger.log(`RTMP ingest listening on ${this.config.ingest.bind}:${this.config.ingest.port} (rtmp://<host>:${this.config.ingest.port}/${RTMP_APP}/<stream key>)`);
    this.statsTimer = setInterval(() => void this.publishStats(), STATS_PERIOD_MS);
    this.statsTimer.unref();
  }

  /** Publishers are cut off and their sessions closed in Postgres before the pool goes away. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.statsTimer);
    this.keys.stop();
    if (!this.nms) return;
    this.server?.stop();
    this.listening = false;
    [...this.live.values()].forEach((publish) => this.end(publish, 'server shutting down'));
    await Promise.allSettled([...this.closing]);
  }

  /** Attaches an HTTP-FLV viewer to a drone's live stream on this instance. */
  attachViewer(droneId: string, res: ServerResponse, clientAddress: string): { sessionId: string } {
    const publish = this.live.get(droneId);
    if (!publish || !this.nms) throw new NotFoundException(`Drone ${droneId} is not live`);
    const sessionId = randomUUID();
    const startedAt = new Date();
    const viewer = createFlvViewer(this.nms, res, clientAddress, () => this.logger.warn(`viewer ${sessionId} of ${droneId} too slow; cut off`));
    res.writeHead(200, { 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
    const error = publish.broadcast.postPlay(viewer);
    if (error !== null) throw new NotFoundException(error);
    const recorded = this.sessions
      .start({ id: sessionId, droneId, kind: 'play', clientAddress, instance: this.config.instanceId, startedAt })
      .catch((err: Error) => this.logger.error(`cannot record play session ${sessionId}: ${err.message}`));
    res.on('close', () => {
      publish.broadcast.donePlay(viewer);
      publish.pastViewerBytes += viewer.outBytes;
      void recorded
        .then(() => this.sessions.end(sessionId, { endedAt: new Date(), bytes: viewer.outBytes, reason: 'viewer left' }))
        .catch((err: Error) => this.logger.error(`cannot close play session ${sessionId}: ${err.message}`));
    });
    return { sessionId };
  }

  /** A rotated or retired key stops working at once, also for the publisher using it now. */
  private readonly cutOffRevokedPublishers = (): void => {
    for (const publish of this.live.values()) {
      const revocation = this.keys.revocationOf(publish.droneId, publish.session.streamName);
      if (revocation) this.end(publish, revocation);
    }
  };

  private readonly onPrePublish = (session: NmsSession): void => {
    const broadcast = this.nms?.context.broadcasts.get(session.streamPath);
    if (broadcast) {
      broadcast.publishGraceMs = 0;
      // A publish node-media-server still holds in its grace window would be resumed by (or
      // handed to) this newcomer, counters and all: end it first, whoever the newcomer is.
      if (broadcast.getPublishStatus() === 'reconnecting') broadcast._finishPublish();
    }
    const grant = session.streamApp === RTMP_APP ? this.keys.lookup(session.streamName) : undefined;
    if (!grant) return this.refuse(session, 'unknown_key', 'unknown, rotated or retired stream key');
    if (this.live.has(grant.droneId) || broadcast?.getPublishStatus() === 'publishing') {
      return this.refuse(session, 'already_live', `drone ${grant.droneId} is already live`);
    }
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
    // Destroyed, not ended: a graceful close would let the client go on sending into the path.
    if (session.socket) session.socket.destroy();
    else session.close();
  }

  private readonly onPostPublish = (session: NmsSession): void => {
    if (this.refused.has(session)) return;
    const broadcast = this.nms?.context.broadcasts.get(session.streamPath);
    const grant = this.keys.lookup(session.streamName);
    if (!broadcast || !grant) return;
    const publish = new LivePublish(grant.droneId, session, broadcast);
    this.live.set(publish.droneId, publish);
    this.watchPackets(session, publish);
    session.socket?.once('close', () => this.end(publish, 'publisher disconnected'));
    this.logger.log(`drone ${publish.droneId} live from ${session.ip} (session ${publish.sessionId})${grant.record ? ', recording' : ''}`);
    if (grant.record && this.nms) {
      const pattern = recordingPattern(this.config.recording.dir, publish.droneId, publish.sessionId, publish.startedAt);
      publish.recording = startRecording(this.nms, broadcast, { pattern, segmentS: this.config.recording.segmentS }, this.logger);
    }
    publish.recorded = this.sessions
      .start({ id: publish.sessionId, droneId: publish.droneId, kind: 'publish', clientAddress: addressOf(session.ip), instance: this.config.instanceId, startedAt: publish.startedAt })
      .then(() => this.announce({ droneId: publish.droneId, sessionId: publish.sessionId, state: 'published', bytesIn: 0 }));
    publish.recorded.catch((error: Error) => this.logger.error(`cannot record publish session ${publish.sessionId}: ${error.message}`));
  };

  /**
   * Ends a publish, once: everything bound to it is cut now, synchronously (its connection, the
   * broadcast's publish, the recorder, the viewers), so nothing that happens next on the same
   * path can touch it; then its history row is closed with the values it had at this moment.
   */
  private end(publish: LivePublish, reason: PublishEndReason): void {
    const end = publish.end(reason);
    if (!end) return;
    if (this.live.get(publish.droneId) === publish) this.live.delete(publish.droneId);
    publish.session.socket?.destroy();
    if (publish.broadcast.publisher === publish.session) publish.broadcast._finishPublish();
    const recordingStopped = publish.recording?.stop();
    // Viewers would otherwise wait on a silent connection; ended, their players reconnect.
    publish.viewers().forEach((viewer) => viewer.close());
    this.logger.log(`drone ${publish.droneId} publish session ${publish.sessionId} ended (${reason}), ${end.bytes} bytes in`);
    const closing = this.closeHistory(publish, end, recordingStopped);
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }

  private async closeHistory(publish: LivePublish, end: PublishEnd, recordingStopped: Promise<void> | undefined): Promise<void> {
    try {
      await this.registry.remove(publish.droneId, publish.sessionId);
      await recordingStopped;
      await publish.recorded.catch(() => undefined);
      await this.sessions.end(publish.sessionId, end);
      await this.announce({ droneId: publish.droneId, sessionId: publish.sessionId, state: 'unpublished', bytesIn: end.bytes });
    } catch (error) {
      this.logger.error(`cannot close publish session ${publish.sessionId}: ${(error as Error).message}`);
    }
  }

  /**
   * Sessions a previous run of this instance left open (kill -9, crash) are closed with what its
   * last statistics in the registry showed, and their streams announced as ended.
   */
  private async closeSessionsOfPreviousRun(): Promise<void> {
    const lastStats = await this.registry.takeOwnedBy(this.config.instanceId);
    const closed = await this.sessions.closeOrphans(this.config.instanceId, 'ingest restarted', lastStats.map(endFromLastStats));
    if (closed.length === 0) return;
    this.logger.warn(`closed ${closed.length} session(s) left open by this instance's previous run`);
    for (const row of closed.filter((r) => r.kind === 'publish')) {
      await this.announce({ droneId: row.drone_id, sessionId: row.id, state: 'unpublished', bytesIn: Number(row.bytes) });
    }
  }

  private async announce(event: Pick<StreamEventParams, 'droneId' | 'sessionId' | 'state' | 'bytesIn'>): Promise<void> {
    const params: StreamEventParams = { ...event, at: new Date().toISOString(), instance: this.config.instanceId };
    await this.rpc.emit(event.state === 'published' ? StreamPublished : StreamUnpublished, params).catch((error: Error) => {
      this.logger.warn(`cannot emit the ${event.state} event of drone ${event.droneId}: ${error.message}`);
    });
  }

  private watchPackets(session: NmsSession, publish: LivePublish): void {
    const parser = session.rtmp;
    if (!parser) return;
    const forward = parser.onPacketCallback;
    parser.onPacketCallback = (packet: NmsPacket) => {
      publish.meter.observe(packet);
      forward(packet);
    };
  }

  private async publishStats(): Promise<void> {
    const owner = { instance: this.config.instanceId, url: this.config.playback.advertiseUrl };
    const stats = [...this.live.values()].map((publish) => publish.stats(owner));
    videoMetrics.liveStreams.set(stats.length);
    videoMetrics.viewers.set(stats.reduce((sum, s) => sum + s.viewers, 0));
    await this.registry.put(stats).catch((error: Error) => this.logger.debug(`cannot publish stream stats: ${error.message}`));
  }
}

/** node-media-server's session ip is "address:port". */
function addressOf(ip: string): string {
  return ip.replace(/:\d+$/, '').replace(/^::ffff:/, '');
}


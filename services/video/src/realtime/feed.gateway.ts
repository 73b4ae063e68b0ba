import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import Redis from 'ioredis';
import WebSocket, { WebSocketServer } from 'ws';
import { AuthUser, bearerFromHeader, InvalidTokenError, TokenVerifier } from '@fleet/auth';
import { Role, TelemetrySampleView, VIDEO_WS_MAX_SUBSCRIPTIONS, VideoWsCloseCode } from '@fleet/contracts';
import { REDIS } from '@fleet/redis';
import { VIDEO_CONFIG, VideoConfig } from '../config/video.config';
import { FeedClient } from './feed-client';
import { FeedHub } from './feed-hub';
import { videoMetrics } from '../video.metrics';

export const FEED_WS_PATH = '/ws';
const FEED_ROLES: readonly string[] = [Role.Operator, Role.Admin];
const MAX_CLIENT_FRAME_BYTES = 16 * 1024;
const HEARTBEAT_MS = 30_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `/ws` (`/video_api/ws` through nginx): operators follow drones' telemetry and stream events.
 * The token is checked before the upgrade (header, or `?access_token=` for browsers), so an
 * unauthenticated client gets a plain 401/403 and never a socket.
 */
@Injectable()
export class FeedGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(FeedGateway.name);
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  private readonly clients = new Set<FeedClient>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verifier: TokenVerifier,
    private readonly hub: FeedHub,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(VIDEO_CONFIG) private readonly config: VideoConfig,
  ) {}

  get connections(): number {
    return this.clients.size;
  }

  onApplicationBootstrap(): void {
    this.adapterHost.httpAdapter.getHttpServer().on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head));
    const alive = new WeakSet<WebSocket>();
    this.heartbeat = setInterval(() => {
      for (const client of this.clients) {
        if (!alive.has(client.socket)) {
          client.socket.terminate();
          continue;
        }
        alive.delete(client.socket);
        client.socket.ping();
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.wss.on('connection', (socket: WebSocket) => {
      alive.add(socket);
      socket.on('pong', () => alive.add(socket));
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.close(VideoWsCloseCode.ServerShutdown, 'server shutting down');
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== FEED_WS_PATH) return void socket.destroy();
    const refusal = await this.authenticate(req);
    if (typeof refusal === 'string') {
      socket.end(`HTTP/1.1 ${refusal}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ message: refusal })}`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.wss.emit('connection', ws, req);
      this.open(ws);
    });
  }

  /** The user, or the HTTP status line to refuse the upgrade with. */
  private async authenticate(req: IncomingMessage): Promise<AuthUser | string> {
    const token = bearerFromHeader(req.headers.authorization) ?? new URL(req.url ?? '/', 'http://localhost').searchParams.get('access_token') ?? undefined;
    try {
      const user = await this.verifier.verify(token);
      return user.roles.some((role) => FEED_ROLES.includes(role)) ? user : '403 Forbidden';
    } catch (error) {
      if (error instanceof InvalidTokenError) return '401 Unauthorized';
      this.logger.error(`token check failed: ${(error as Error).message}`);
      return '503 Service Unavailable';
    }
  }

  private open(socket: WebSocket): void {
    const client = new FeedClient(socket);
    this.clients.add(client);
    videoMetrics.feedConnections.inc();
    socket.on('close', () => {
      this.clients.delete(client);
      videoMetrics.feedConnections.dec();
      client.dispose();
      this.hub.leave(client);
    });
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => void this.onFrame(client, isBinary ? null : data.toString()));
    client.send({ type: 'welcome', instance: this.config.instanceId });
  }

  private async onFrame(client: FeedClient, text: string | null): Promise<void> {
    let frame: { type?: unknown; drones?: unknown };
    try {
      frame = JSON.parse(text ?? '') as typeof frame;
    } catch {
      return client.send({ type: 'error', message: 'frames are JSON text: {"type":"subscribe","drones":["<id>"]}' });
    }
    const drones = Array.isArray(frame.drones) ? frame.drones : null;
    if ((frame.type !== 'subscribe' && frame.type !== 'unsubscribe') || !drones || !drones.every((id) => typeof id === 'string' && UUID.test(id))) {
      return client.send({ type: 'error', message: 'expected {"type":"subscribe"|"unsubscribe","drones":[<drone ids>]}' });
    }
    const ids = (drones as string[]).map((id) => id.toLowerCase());
    if (frame.type === 'unsubscribe') {
      ids.forEach((id) => this.hub.unsubscribe(client, id));
      return client.send({ type: 'subscribed', drones: [...client.drones] });
    }
    if (new Set([...client.drones, ...ids]).size > VIDEO_WS_MAX_SUBSCRIPTIONS) {
      return client.send({ type: 'error', message: `at most ${VIDEO_WS_MAX_SUBSCRIPTIONS} drones per socket` });
    }
    ids.forEach((id) => this.hub.subscribe(client, id));
    client.send({ type: 'subscribed', drones: [...client.drones] });
    await this.sendLatest(client, ids);
  }

  /** A new subscriber starts from the drone's latest state instead of a blank map. */
  private async sendLatest(client: FeedClient, ids: string[]): Promise<void> {
    const latest = await this.redis.mget(ids.map((id) => `video:telemetry:latest:${id}`)).catch(() => [] as Array<string | null>);
    latest.forEach((raw, index) => {
      if (raw) client.send({ type: 'telemetry', drone_id: ids[index], sample: JSON.parse(raw) as TelemetrySampleView });
    });
  }
}

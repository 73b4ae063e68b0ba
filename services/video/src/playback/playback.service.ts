import http from 'node:http';
import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import { ForbiddenException, Inject, Injectable, Logger, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { AuthUser, bearerFromHeader, InvalidTokenError, TokenVerifier } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { VIDEO_CONFIG, VideoConfig } from '../config/video.config';
import { DronesService } from '../drones/drones.service';
import { IngestService } from '../ingest/ingest.service';
import { LiveRegistry } from '../streams/live-registry';
import { PlaySigner } from './play-signer';
import { PlayUrlView } from './playback.view';

const VIEWER_ROLES: readonly string[] = [Role.Operator, Role.Admin];
/** Marks a request one instance proxies to the ingest owner, so the owner never proxies it on. */
const HOP_HEADER = 'x-video-hop';

/**
 * Live playback as HTTP-FLV at `/live/<drone id>.flv`. Viewers name the drone, never its stream
 * key. The instance that owns the drone's ingest attaches the viewer to the broadcast; any other
 * instance (nginx picks one) proxies the request to it with a fresh signed URL.
 */
@Injectable()
export class PlaybackService {
  private readonly logger = new Logger(PlaybackService.name);

  constructor(
    @Inject(VIDEO_CONFIG) private readonly config: VideoConfig,
    private readonly verifier: TokenVerifier,
    private readonly signer: PlaySigner,
    private readonly drones: DronesService,
    private readonly ingest: IngestService,
    private readonly registry: LiveRegistry,
  ) {}

  async playUrl(droneId: string): Promise<PlayUrlView> {
    await this.drones.findOrFail(droneId);
    const { exp, sig } = this.signer.sign(droneId);
    return { url: `/live/${droneId}.flv?exp=${exp}&sig=${sig}`, expires_at: new Date(exp * 1000).toISOString() };
  }

  async play(droneId: string, req: Request, res: ServerResponse): Promise<void> {
    await this.authorize(droneId, req);
    const clientAddress = clientAddressOf(req);
    if (this.ingest.enabled) {
      try {
        this.ingest.attachViewer(droneId, res, clientAddress);
        return;
      } catch (error) {
        if (!(error instanceof NotFoundException) || req.headers[HOP_HEADER]) throw error;
      }
    }
    const stats = await this.registry.get(droneId);
    if (!stats || req.headers[HOP_HEADER] || stats.instance_url === this.config.playback.advertiseUrl) {
      throw new NotFoundException(`Drone ${droneId} is not live`);
    }
    await this.proxy(droneId, stats.instance_url, clientAddress, res);
  }

  private async authorize(droneId: string, req: Request): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    if (query.has('sig')) {
      if (!this.signer.verify(droneId, query.get('exp') ?? undefined, query.get('sig') ?? undefined)) {
        throw new ForbiddenException('Play URL is invalid or expired; ask /video_api for a new one');
      }
      return;
    }
    const token = bearerFromHeader(req.headers.authorization) ?? query.get('access_token') ?? undefined;
    let user: AuthUser;
    try {
      user = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(`Live video needs an operator token or a signed play URL: ${error.message}`);
      throw error;
    }
    if (!user.roles.some((role) => VIEWER_ROLES.includes(role))) throw new ForbiddenException('Live video needs the operator role');
    await this.drones.findOrFail(droneId);
  }

  private proxy(droneId: string, ownerUrl: string, clientAddress: string, res: ServerResponse): Promise<void> {
    const { exp, sig } = this.signer.sign(droneId);
    const target = new URL(`/live/${droneId}.flv?exp=${exp}&sig=${sig}`, ownerUrl);
    return new Promise((resolve, reject) => {
      const upstream = http.get(target, { headers: { [HOP_HEADER]: this.config.instanceId, 'x-forwarded-for': clientAddress } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, { 'Content-Type': answer.headers['content-type'] ?? 'video/x-flv', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
        answer.pipe(res);
        resolve();
      });
      upstream.on('error', (error) => {
        this.logger.warn(`cannot reach the ingest owner ${ownerUrl} for drone ${droneId}: ${error.message}`);
        if (!res.headersSent) reject(new NotFoundException(`Drone ${droneId} is not reachable right now`));
        else res.destroy();
      });
      res.on('close', () => upstream.destroy());
    });
  }
}

/**
 * The viewer's address: Express's `req.ip`, which takes X-Forwarded-For only from a trusted peer
 * (the gateway, which sets it to the address it saw, or the instance that proxied the viewer
 * here; TRUSTED_PROXIES in @fleet/platform), else the socket's. A client's own header is never believed.
 */
function clientAddressOf(req: Request): string {
  return (req.ip ?? req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '@fleet/redis';
import { VIDEO_CONFIG, VideoConfig } from '../config/video.config';

const SECRET_KEY = 'video:play-url-secret';

/**
 * Signs and checks short-lived play URLs: `sig` = HMAC-SHA256(secret, "play:<drone>:<exp>").
 * Every instance must agree on the secret (any of them may serve the URL); without
 * VIDEO_PLAY_SECRET the first instance stores a random one in Redis and the others read it.
 */
@Injectable()
export class PlaySigner implements OnApplicationBootstrap {
  private secret: Buffer | undefined;

  constructor(
    @Inject(VIDEO_CONFIG) private readonly config: VideoConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.playback.secret) {
      this.secret = Buffer.from(this.config.playback.secret);
      return;
    }
    await this.redis.set(SECRET_KEY, randomBytes(32).toString('base64url'), 'NX');
    this.secret = Buffer.from((await this.redis.get(SECRET_KEY))!);
  }

  sign(droneId: string, nowMs = Date.now()): { exp: number; sig: string } {
    const exp = Math.floor(nowMs / 1000) + this.config.playback.urlTtlS;
    return { exp, sig: this.mac(droneId, exp) };
  }

  /** True when `sig` was made by us for this drone and `exp` (seconds) has not passed. */
  verify(droneId: string, exp: string | undefined, sig: string | undefined, nowMs = Date.now()): boolean {
    if (!exp || !sig || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 < nowMs) return false;
    const expected = Buffer.from(this.mac(droneId, Number(exp)));
    const given = Buffer.from(sig);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(droneId: string, exp: number): string {
    if (!this.secret) throw new Error('play URL secret not loaded yet');
    return createHmac('sha256', this.secret).update(`play:${droneId}:${exp}`).digest('base64url');
  }
}

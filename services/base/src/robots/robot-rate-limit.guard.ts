import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import Redis from 'ioredis';
import { AuthUser } from '@fleet/auth';
import { REDIS } from '@fleet/redis';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';

/**
 * Per-robot request limit on robot routes, shared by every base instance: a counter per robot
 * and wall-clock second in Redis (INCR, expiring). Over the limit: 429 with `Retry-After` . Runs after the global auth guard, so the caller is
 * known; keyed by the token's client (`azp`), which is the robot. nginx has a coarser limit per
 * token in front of this one.
 *
 * When Redis does not answer, requests pass (with a warning): ticket checks at the gate matter
 * more than the limit, and Postgres still bounds the work.
 */
@Injectable()
export class RobotRateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RobotRateLimitGuard.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BASE_CONFIG) private readonly config: BaseConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const user = http.getRequest<{ user?: AuthUser }>().user;
    if (!user) return true;
    const second = Math.floor(Date.now() / 1000);
    const key = `base:rl:robot:${user.clientId ?? user.sub}:${second}`;
    let count: number;
    try {
      const results = await this.redis.multi().incr(key).expire(key, 2).exec();
      count = Number(results?.[0]?.[1] ?? 0);
    } catch (error) {
      this.logger.warn(`Rate limit skipped, Redis failed: ${(error as Error).message}`);
      return true;
    }
    const limit = this.config.robotApi.rateLimitPerSecond;
    if (count <= limit) return true;
    // The window is the current wall-clock second, so the next one opens within a second.
    http.getResponse<Response>().setHeader('Retry-After', '1');
    throw new HttpException(
      { statusCode: 429, error: 'Too Many Requests', message: `Robot rate limit of ${limit} requests per second exceeded; retry after 1 s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

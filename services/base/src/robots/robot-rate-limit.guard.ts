import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import Redis from 'ioredis';
import { AuthUser } from '@fleet/auth';
import { REDIS } from '@fleet/redis';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';

/**
 * One round trip, one command: count the request and, on a window's first request, set the
 * counter's expiry. A script runs atomically in Redis, so the counter never lives without an
 * expiry, whichever instance counts first. (A MULTI with INCR and EXPIRE did the same in four
 * commands, and cost a tenth of a ticket check's CPU in base.)
 */
const COUNT_IN_WINDOW = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** Longer than the one-second window, so a counter outlives its second on every instance's clock. */
const WINDOW_KEY_TTL_MS = 2000;

interface RateLimitCommands {
  robotRateLimitCount(key: string, ttlMs: number): Promise<number>;
}

/**
 * Per-robot request limit on robot routes, shared by every base instance: a counter per robot
 * and wall-clock second in Redis (INCR, expiring). Over the limit: 429 with `Retry-After`. Runs after the global auth guard, so the caller is
 * known; keyed by the token's client (`azp`), which is the robot. nginx has a coarser limit per
 * token in front of this one.
 *
 * When Redis does not answer, requests pass (with a warning): ticket checks at the gate matter
 * more than the limit, and Postgres still bounds the work.
 */
@Injectable()
export class RobotRateLimitGuard implements CanActivate {
  private readonly logger = new Logger(RobotRateLimitGuard.name);
  private readonly redis: Redis & RateLimitCommands;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(BASE_CONFIG) private readonly config: BaseConfig,
  ) {
    // EVALSHA, and EVAL once when Redis does not know the script yet (ioredis does the fallback).
    redis.defineCommand('robotRateLimitCount', { numberOfKeys: 1, lua: COUNT_IN_WINDOW });
    this.redis = redis as Redis & RateLimitCommands;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const user = http.getRequest<{ user?: AuthUser }>().user;
    if (!user) return true;
    const second = Math.floor(Date.now() / 1000);
    const key = `base:rl:robot:${user.clientId ?? user.sub}:${second}`;
    let count: number;
    try {
      // Requests counted in the same turn share one pipeline (the client's auto-pipelining).
      count = Number(await this.redis.robotRateLimitCount(key, WINDOW_KEY_TTL_MS));
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

import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '@fleet/redis';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';
import { TicketSnapshot } from './ticket-decision';

const key = (code: string) => `base:ticket:${code}`;

/**
 * Hot ticket lookups for checks, in Redis, shared by every base instance.
 *
 * Invariant: after a change commits, the cache holds the new state (or nothing). Writers
 * overwrite the entry with the committed state (`put`, a plain SET); readers that missed fill
 * it only if it is still absent (`fill`, SET NX). So a reader that read the row before a change
 * and fills after it can never overwrite the writer's newer entry, and a fill that lands first
 * is overwritten by the writer's put. Postgres stays the authority for consuming a ticket (a
 * conditional UPDATE), so a cached "active" can never let a ticket in twice. Unknown codes are
 * not cached: a ticket imported a moment later must be found at once.
 *
 * Redis failures never fail a check: a miss falls back to Postgres, a failed write is logged
 * and the entry is deleted on a best-effort basis (the expiry bounds the rest).
 */
@Injectable()
export class TicketCache {
  private readonly logger = new Logger(TicketCache.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BASE_CONFIG) private readonly config: BaseConfig,
  ) {}

  async get(code: string): Promise<TicketSnapshot | undefined> {
    try {
      const value = await this.redis.get(key(code));
      return value ? (JSON.parse(value) as TicketSnapshot) : undefined;
    } catch (error) {
      this.logger.warn(`Ticket cache read failed, using Postgres: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** After a read from Postgres: store only if nobody stored a newer state meanwhile. */
  async fill(ticket: TicketSnapshot): Promise<void> {
    await this.write(ticket, 'NX');
  }

  /** After a committed change: the new state replaces whatever is cached. */
  async put(ticket: TicketSnapshot): Promise<void> {
    await this.write(ticket);
  }

  private async write(ticket: TicketSnapshot, mode?: 'NX'): Promise<void> {
    const ttl = this.config.robotApi.ticketCacheTtlSeconds;
    try {
      if (mode) await this.redis.set(key(ticket.code), JSON.stringify(ticket), 'EX', ttl, mode);
      else await this.redis.set(key(ticket.code), JSON.stringify(ticket), 'EX', ttl);
    } catch (error) {
      this.logger.warn(`Ticket cache write for ${ticket.code} failed: ${(error as Error).message}`);
      if (!mode) await this.redis.del(key(ticket.code)).catch(() => undefined);
    }
  }
}

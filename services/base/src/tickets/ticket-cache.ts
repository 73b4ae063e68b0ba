import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { TicketStatus } from '@fleet/contracts';
import { REDIS } from '@fleet/redis';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';
import { TicketSnapshot } from './ticket-decision';

const key = (code: string) => `base:ticket:${code}`;

/** States no change leaves: an entry holding one can never be stale. */
const FINAL: ReadonlySet<string> = new Set([TicketStatus.Used, TicketStatus.Cancelled]);

/**
 * Hot ticket lookups for checks, in Redis, shared by every base instance.
 *
 * Invariant: the cache holds only tickets in a final state (used, cancelled). Nothing changes a
 * ticket after that (a cancel needs an active ticket, a consume too), so an entry is never stale
 * and every write of it stores the same thing: there is no order between writers to keep. An
 * active ticket is read from Postgres each time, which also means the common entry scan (one
 * statement that consumes and records, see TicketCheckService) writes nothing here: the used
 * state is remembered by the first check that reads it afterwards (a retry, an exit).
 * Postgres stays the authority for consuming a ticket (a conditional UPDATE). Unknown codes are
 * not cached: a ticket imported a moment later must be found at once.
 *
 * Redis failures never fail a check: a miss falls back to Postgres, a failed write is logged
 * (an absent entry is always correct).
 */
@Injectable()
export class TicketCache {
  private readonly logger = new Logger(TicketCache.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(BASE_CONFIG) private readonly config: BaseConfig,
  ) {}

  /** The cached final state of the ticket; undefined when it is not cached (read Postgres). */
  async get(code: string): Promise<TicketSnapshot | undefined> {
    try {
      const value = await this.redis.get(key(code));
      const ticket = value ? (JSON.parse(value) as TicketSnapshot) : undefined;
      // Entries of other states (written by an older version) are not trusted.
      return ticket && FINAL.has(ticket.status) ? ticket : undefined;
    } catch (error) {
      this.logger.warn(`Ticket cache read failed, using Postgres: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Remembers a committed ticket if its state is final; anything else is not cached. */
  async remember(ticket: TicketSnapshot): Promise<void> {
    if (!FINAL.has(ticket.status)) return;
    try {
      await this.redis.set(key(ticket.code), JSON.stringify(ticket), 'EX', this.config.robotApi.ticketCacheTtlSeconds);
    } catch (error) {
      this.logger.warn(`Ticket cache write for ${ticket.code} failed: ${(error as Error).message}`);
    }
  }
}

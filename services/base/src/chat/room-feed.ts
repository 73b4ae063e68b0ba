import { Logger } from '@nestjs/common';
import { CHAT_BACKLOG_PAGE, CHAT_GAP_WAIT_MS } from './chat.constants';
import { chatMetrics } from './chat.metrics';
import { BacklogReader, OutboundMessage, RoomMember } from './chat.types';

/** Where a member stands: the last seq it was sent, and whether live messages go to it yet. */
interface Cursor {
  seq: number;
  live: boolean;
}

const RETRY_AFTER_ERROR_MS = 1000;

/**
 * One room on one instance: turns messages arriving in any order (local sends, Redis, reads from
 * Postgres) into one gap-free, duplicate-free sequence, and hands it to the room's sockets here.
 *
 * Invariants:
 * - `delivered` only grows by one; message `delivered + 1` is the only one that can go out next.
 *   When seq s is committed, every seq < s is committed too (the room row lock orders commits),
 *   so a gap can always be filled from Postgres.
 * - A member is live only when its cursor equals `delivered` at the moment it is switched (no
 *   await in between), so it misses nothing and gets nothing twice; a live member is sent only
 *   seqs above its cursor.
 */
export class RoomFeed {
  private readonly logger: Logger;
  /** Highest seq handed to live members; -1 until start() (arrivals before are held). */
  private delivered = -1;
  private readonly held = new Map<number, OutboundMessage>();
  private readonly cursors = new Map<RoomMember, Cursor>();
  private gapTimer: NodeJS.Timeout | undefined;
  private filling: Promise<void> | undefined;
  /** `last_seq` Postgres reported at the previous reconcile. */
  private lastSeenInDb = 0;
  private closed = false;

  constructor(
    readonly room: string,
    private readonly readBacklog: BacklogReader,
  ) {
    this.logger = new Logger(`RoomFeed:${room}`);
  }

  get lastDelivered(): number {
    return this.delivered;
  }

  get memberCount(): number {
    return this.cursors.size;
  }

  /** Begins delivery after `lastSeq`, read from Postgres after this feed began to hold arrivals. */
  start(lastSeq: number): void {
    this.delivered = lastSeq;
    this.lastSeenInDb = lastSeq;
    for (const seq of this.held.keys()) if (seq <= lastSeq) this.held.delete(seq);
    this.drainHeld();
  }

  receive(message: OutboundMessage): void {
    if (this.closed || (this.delivered >= 0 && message.seq <= this.delivered)) return;
    this.held.set(message.seq, message);
    if (this.delivered >= 0) this.drainHeld();
  }

  /**
   * Adds a member, or moves an existing one (resume). With `afterSeq` it is first sent the stored
   * messages after it, page by page at the pace its socket drains, then switched to live; without,
   * it is live from now on. Synchronous up to the first read, so the caller's `joined` frame goes
   * out first. The promise rejects when Postgres fails mid-backlog (the member is then detached),
   * unless a later attach or detach of the same member superseded this one.
   */
  attach(member: RoomMember, afterSeq: number | undefined): Promise<void> {
    const cursor: Cursor = { seq: Math.max(afterSeq ?? this.delivered, 0), live: false };
    this.cursors.set(member, cursor);
    return this.catchUp(member, cursor).catch((error: unknown) => {
      if (this.cursors.get(member) !== cursor) return; // superseded by a later join or leave
      this.cursors.delete(member);
      throw error;
    });
  }

  detach(member: RoomMember): void {
    this.cursors.delete(member);
  }

  /**
   * Called every reconcile period with the room's `last_seq` in Postgres. A seq that Postgres had
   * one period ago and that is still not delivered was lost on the way: read it. `immediate`
   * (pub/sub is down) reads everything at once instead of waiting a period.
   */
  reconcile(lastSeqInDb: number, immediate: boolean): void {
    const target = immediate ? lastSeqInDb : Math.min(this.lastSeenInDb, lastSeqInDb);
    this.lastSeenInDb = lastSeqInDb;
    if (this.delivered >= 0 && target > this.delivered) {
      chatMetrics.filled.inc({ cause: immediate ? 'pubsub_down' : 'reconcile' });
      void this.fillTo(target);
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.gapTimer);
    this.cursors.clear();
    this.held.clear();
  }

  private async catchUp(member: RoomMember, cursor: Cursor): Promise<void> {
    while (this.cursors.get(member) === cursor) {
      if (cursor.seq >= this.delivered) {
        cursor.live = true;
        return;
      }
      const page = await this.readBacklog(this.room, cursor.seq, this.delivered, CHAT_BACKLOG_PAGE);
      if (this.cursors.get(member) !== cursor) return; // left, resumed again, or socket closed
      if (page.length === 0) {
        // Cannot happen (delivered seqs are committed); skip ahead rather than spin.
        this.logger.error(`no stored messages after ${cursor.seq} up to ${this.delivered}`);
        cursor.seq = this.delivered;
        continue;
      }
      for (const message of page) {
        if (!member.deliver(message.data)) return;
        cursor.seq = message.seq;
      }
      await member.drained();
    }
  }

  private drainHeld(): void {
    for (let next = this.held.get(this.delivered + 1); next; next = this.held.get(this.delivered + 1)) {
      this.held.delete(next.seq);
      this.deliverLive(next);
    }
    if (this.held.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else {
      this.scheduleGapFill(CHAT_GAP_WAIT_MS);
    }
  }

  private deliverLive(message: OutboundMessage): void {
    this.delivered = message.seq;
    for (const [member, cursor] of this.cursors) {
      if (!cursor.live || message.seq <= cursor.seq) continue;
      cursor.seq = message.seq;
      member.deliver(message.data);
    }
  }

  private scheduleGapFill(delayMs: number): void {
    if (this.gapTimer || this.filling || this.closed) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      if (this.held.size === 0) return;
      chatMetrics.filled.inc({ cause: 'gap' });
      void this.fillTo(Math.max(...this.held.keys()) - 1);
    }, delayMs);
  }

  /** Reads `delivered < seq <= target` from Postgres into the feed; one read at a time. */
  private fillTo(target: number): Promise<void> {
    if (this.filling || target <= this.delivered || this.closed) return this.filling ?? Promise.resolve();
    let failed = false;
    this.filling = (async () => {
      try {
        while (!this.closed && this.delivered < target) {
          const page = await this.readBacklog(this.room, this.delivered, target, CHAT_BACKLOG_PAGE);
          if (page.length === 0) return;
          for (const message of page) this.receive(message);
        }
      } catch (error) {
        failed = true;
        this.logger.warn(`could not read missed messages after ${this.delivered}: ${error instanceof Error ? error.message : error}`);
      }
    })().finally(() => {
      this.filling = undefined;
      if (this.held.size > 0) this.scheduleGapFill(failed ? RETRY_AFTER_ERROR_MS : CHAT_GAP_WAIT_MS);
    });
    return this.filling;
  }
}

import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mapMessage } from './chat.dto';
import { ChatRepository } from './chat.repository';
import { BacklogReader, OutboundMessage, RoomMember, toOutbound } from './chat.types';
import { RoomFeed } from './room-feed';

interface OpenFeed {
  feed: RoomFeed;
  /** Resolves to false when the room does not exist; rejects when Postgres is unreachable. */
  ready: Promise<boolean>;
}

/**
 * The rooms that have members on this instance, each with its RoomFeed. A feed opens with its
 * first local member and closes with its last, so messages of rooms nobody here is in are dropped
 * on arrival.
 */
@Injectable()
export class RoomFeeds implements OnModuleDestroy {
  private readonly logger = new Logger(RoomFeeds.name);
  private readonly feeds = new Map<string, OpenFeed>();
  private readonly readBacklog: BacklogReader = async (room, afterSeq, uptoSeq, limit) =>
    (await this.repository.getMessagesBetween(room, afterSeq, uptoSeq, limit)).map((message) => toOutbound(mapMessage(message)));

  constructor(private readonly repository: ChatRepository) {}

  /**
   * Puts `member` in `room` (see RoomFeed.attach for `afterSeq`). `onAttached(lastSeq)` runs
   * synchronously at the moment of attaching, before any message can reach the member.
   * Returns null for a room that does not exist, else the backlog's completion.
   */
  async join(room: string, member: RoomMember, afterSeq: number | undefined, onAttached: (lastSeq: number) => void): Promise<{ backlog: Promise<void> } | null> {
    for (;;) {
      const open = this.open(room);
      if (!(await open.ready)) return null;
      // The feed may have closed while we waited (its last member left): open it again.
      if (this.feeds.get(room) !== open) continue;
      if (member.closed) {
        if (open.feed.memberCount === 0) this.closeFeed(room, open);
        return { backlog: Promise.resolve() };
      }
      onAttached(open.feed.lastDelivered);
      return { backlog: open.feed.attach(member, afterSeq) };
    }
  }

  leave(room: string, member: RoomMember): void {
    const open = this.feeds.get(room);
    if (!open) return;
    open.feed.detach(member);
    if (open.feed.memberCount === 0) this.closeFeed(room, open);
  }

  /** A stored message, from a local sender, Redis or Postgres. */
  receive(message: OutboundMessage): void {
    this.feeds.get(message.room)?.feed.receive(message);
  }

  /** Compares every open room with Postgres once (see RoomFeed.reconcile). */
  async reconcile(immediate: boolean): Promise<void> {
    const rooms = [...this.feeds.keys()];
    const lastSeqs = await this.repository.getLastSeqs(rooms);
    for (const [room, lastSeq] of lastSeqs) this.feeds.get(room)?.feed.reconcile(lastSeq, immediate);
  }

  onModuleDestroy(): void {
    for (const [room, open] of this.feeds) this.closeFeed(room, open);
  }

  private open(room: string): OpenFeed {
    const existing = this.feeds.get(room);
    if (existing) return existing;
    // The feed exists (and holds arrivals) before `last_seq` is read, so a message committed
    // right after that read cannot slip between the read and the first arrival.
    const feed = new RoomFeed(room, this.readBacklog);
    const open: OpenFeed = { feed, ready: Promise.resolve(false) };
    open.ready = this.repository.getRoom(room).then(
      (found) => {
        if (found) feed.start(found.lastSeq);
        else this.closeFeed(room, open);
        return found !== null;
      },
      (error: unknown) => {
        this.closeFeed(room, open);
        throw error;
      },
    );
    this.feeds.set(room, open);
    this.logger.debug(`opened room ${room}`);
    return open;
  }

  private closeFeed(room: string, open: OpenFeed): void {
    if (this.feeds.get(room) !== open) return;
    this.feeds.delete(room);
    open.feed.close();
    this.logger.debug(`closed room ${room}`);
  }
}

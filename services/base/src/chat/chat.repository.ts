import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { Between, DataSource, In, Repository } from 'typeorm';
import { BASE_SCHEMA } from '../database/base.schema';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatRoomEntity } from './chat-room.entity';

interface AppendedRow {
  id: string;
  room: string;
  seq: string;
  content: string;
  user_id: string;
  created_at: Date;
}

/** One message of an append, before it has a seq. */
export interface NewMessage {
  userId: string;
  content: string;
}

/**
 * Takes the next seqs and stores the messages in ONE statement, hence one transaction: the
 * UPDATE locks the room row until commit, so concurrent appends (on any instance) queue on that
 * row and commit in seq order; a failed insert rolls the counter back, so seqs never have gaps.
 * The messages get `last_seq + 1 … last_seq + n` in array order. One round trip keeps the lock
 * short. clock_timestamp() is read per row after the lock is taken, so `created_at` grows with
 * `seq`. No row comes back when the room does not exist.
 */
const APPEND_MESSAGES_SQL = `
  WITH next AS (
    UPDATE "${BASE_SCHEMA}".room SET last_seq = last_seq + cardinality($2::text[]) WHERE name = $1 RETURNING name, last_seq
  )
  INSERT INTO "${BASE_SCHEMA}".message (room, seq, content, user_id, created_at)
  SELECT next.name, next.last_seq - cardinality($2::text[]) + m.ord, m.content, m.user_id, clock_timestamp()
  FROM next CROSS JOIN unnest($2::text[], $3::text[]) WITH ORDINALITY AS m(content, user_id, ord)
  ORDER BY m.ord
  RETURNING id, room, seq, content, user_id, created_at`;

@Injectable()
export class ChatRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(ChatRoomEntity) private readonly rooms: Repository<ChatRoomEntity>,
    @InjectRepository(ChatMessageEntity) private readonly messages: Repository<ChatMessageEntity>,
  ) {}

  getRoom(name: string): Promise<ChatRoomEntity | null> {
    return this.rooms.findOne({ where: { name } });
  }

  getAllRooms(): Promise<ChatRoomEntity[]> {
    return this.rooms.find({ order: { name: 'ASC' } });
  }

  /** Current `last_seq` of each named room that exists. */
  async getLastSeqs(names: string[]): Promise<Map<string, number>> {
    // Guard against running an invalid `IN ()` when no room is open here.
    if (names.length === 0) return new Map();
    const rooms = await this.rooms.find({ select: { name: true, lastSeq: true }, where: { name: In(names) } });
    return new Map(rooms.map((room) => [room.name, room.lastSeq]));
  }

  /** Null when a room of that name exists already. */
  async createRoom(name: string, createdBy: string): Promise<ChatRoomEntity | null> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO "${BASE_SCHEMA}".room (name, created_by) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name`,
      [name, createdBy],
    );
    return rows.length === 0 ? null : this.getRoom(name);
  }

  /** The stored messages in the order given (seqs consecutive), or null when the room does not exist (nothing is stored then). */
  async appendMessages(room: string, messages: NewMessage[]): Promise<ChatMessageEntity[] | null> {
    const rows: AppendedRow[] = await this.dataSource.query(APPEND_MESSAGES_SQL, [room, messages.map((m) => m.content), messages.map((m) => m.userId)]);
    if (rows.length === 0) return null;
    if (rows.length !== messages.length) throw new Error(`room ${room}: ${rows.length} rows stored for ${messages.length} messages`);
    return rows
      .map((row) =>
        Object.assign(new ChatMessageEntity(), {
          id: row.id,
          room: row.room,
          seq: Number(row.seq),
          content: row.content,
          userId: row.user_id,
          createdAt: row.created_at,
        }),
      )
      .sort((a, b) => a.seq - b.seq);
  }

  /** Messages with `afterSeq < seq <= uptoSeq`, oldest first, at most `limit`. */
  getMessagesBetween(room: string, afterSeq: number, uptoSeq: number, limit: number): Promise<ChatMessageEntity[]> {
    if (uptoSeq <= afterSeq) return Promise.resolve([]);
    return this.messages.find({ where: { room, seq: Between(afterSeq + 1, uptoSeq) }, order: { seq: 'ASC' }, take: limit });
  }
}

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

/**
 * Takes the next seq and stores the message in ONE statement, hence one transaction: the
 * UPDATE locks the room row until commit, so concurrent senders (on any instance) queue on that
 * row and commit in seq order; a failed insert rolls the counter back, so seqs never have gaps.
 * One round trip keeps the lock short. clock_timestamp() is read after the lock is taken, so
 * `created_at` grows with `seq`. No row comes back when the room does not exist.
 */
const APPEND_MESSAGE_SQL = `
  WITH next AS (
    UPDATE "${BASE_SCHEMA}".room SET last_seq = last_seq + 1 WHERE name = $1 RETURNING name, last_seq
  )
  INSERT INTO "${BASE_SCHEMA}".message (room, seq, content, user_id, created_at)
  SELECT name, last_seq, $2, $3, clock_timestamp() FROM next
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

  /** Null when the room does not exist (nothing is stored then). */
  async appendMessage(room: string, userId: string, content: string): Promise<ChatMessageEntity | null> {
    const rows: AppendedRow[] = await this.dataSource.query(APPEND_MESSAGE_SQL, [room, content, userId]);
    if (rows.length === 0) return null;
    if (rows.length > 1) throw new Error(`room ${room} matched ${rows.length} rows`);
    const [row] = rows;
    return Object.assign(new ChatMessageEntity(), {
      id: row.id,
      room: row.room,
      seq: Number(row.seq),
      content: row.content,
      userId: row.user_id,
      createdAt: row.created_at,
    });
  }

  /** Messages with `afterSeq < seq <= uptoSeq`, oldest first, at most `limit`. */
  getMessagesBetween(room: string, afterSeq: number, uptoSeq: number, limit: number): Promise<ChatMessageEntity[]> {
    if (uptoSeq <= afterSeq) return Promise.resolve([]);
    return this.messages.find({ where: { room, seq: Between(afterSeq + 1, uptoSeq) }, order: { seq: 'ASC' }, take: limit });
  }
}

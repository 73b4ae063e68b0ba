import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import type { AuthUser } from '@fleet/auth';
import { CHAT_ROOM_NAME, ChatErrorCode, ChatHistoryResponse, ChatMessageFrame, ChatRoomResponse, Page } from '@fleet/contracts';
import { decodeCursor, encodeCursor, pageOfList, PageRequest } from '@fleet/database';
import { ChatFanout } from './chat-fanout';
import { ChatMessageWriter } from './chat-message-writer';
import { CreateRoomDto, HistoryQueryDto, mapMessage, mapRoom } from './chat.dto';
import { ChatException } from './chat.exception';
import { chatMetrics } from './chat.metrics';
import { ChatRepository } from './chat.repository';
import { RoomFeeds } from './room-feeds';
import { RoomMember, toOutbound } from './chat.types';

/** Chat rules shared by the socket and the HTTP API: rooms, storing and publishing, history. */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    private readonly repository: ChatRepository,
    private readonly writer: ChatMessageWriter,
    private readonly fanout: ChatFanout,
    private readonly feeds: RoomFeeds,
  ) {}

  /** Stores a message under the next seq of its room and sends it to the room on every instance. */
  async send(user: AuthUser, room: string, content: string): Promise<ChatMessageFrame> {
    const started = Date.now();
    const message = await this.storage(() => this.writer.append(room, { userId: user.sub, content }));
    if (!message) throw unknownRoom(room);
    chatMetrics.stored.inc();
    const frame = mapMessage(message);
    this.fanout.publish(toOutbound(frame));
    this.logger.debug(`stored ${room}#${frame.seq} from ${user.sub} in ${Date.now() - started} ms`);
    return frame;
  }

  /** See RoomFeeds.join; a room that does not exist is `unknown_room`. */
  async join(room: string, member: RoomMember, afterSeq: number | undefined, onAttached: (lastSeq: number) => void): Promise<{ backlog: Promise<void> }> {
    if (!CHAT_ROOM_NAME.test(room)) throw unknownRoom(room);
    const joined = await this.storage(() => this.feeds.join(room, member, afterSeq, onAttached));
    if (!joined) throw unknownRoom(room);
    const backlog = joined.backlog.catch((error: unknown) => {
      throw error instanceof ChatException ? error : this.unavailable(error, room);
    });
    return { backlog };
  }

  leave(room: string, member: RoomMember): void {
    this.feeds.leave(room, member);
  }

  /** Why a client may not send to a room it is not in. */
  async refuseNonMember(room: string): Promise<ChatException> {
    if (!CHAT_ROOM_NAME.test(room)) return unknownRoom(room);
    const found = await this.storage(() => this.repository.getRoom(room));
    if (!found) return unknownRoom(room);
    return new ChatException(ChatErrorCode.NotInRoom, `join room ${room} before sending to it`, room);
  }

  async getHistory(room: string, query: HistoryQueryDto): Promise<ChatHistoryResponse> {
    const found = CHAT_ROOM_NAME.test(room) ? await this.storage(() => this.repository.getRoom(room)) : null;
    if (!found) throw unknownRoom(room);
    const afterSeq = query.cursor === undefined ? query.after_seq : seqOfCursor(query.cursor);
    const messages = await this.storage(() => this.repository.getMessagesBetween(room, afterSeq, found.lastSeq, query.limit));
    const last = messages[messages.length - 1];
    // Seqs have no gaps: the page is the last one exactly when it reaches the room's last seq.
    const more = last !== undefined && Number(last.seq) < Number(found.lastSeq);
    return { items: messages.map(mapMessage), next_cursor: more ? encodeCursor([last.seq]) : null };
  }

  /** Rooms are few (operators create them by hand): read whole, paged in memory. */
  async getRooms(page: PageRequest): Promise<Page<ChatRoomResponse>> {
    return pageOfList((await this.storage(() => this.repository.getAllRooms())).map(mapRoom), page);
  }

  async createRoom(user: AuthUser, dto: CreateRoomDto): Promise<ChatRoomResponse> {
    const room = await this.storage(() => this.repository.createRoom(dto.name, user.sub));
    if (!room) throw new ChatException(ChatErrorCode.RoomExists, `room ${dto.name} exists already`, dto.name);
    this.logger.log(`room ${room.name} created by ${user.sub}`);
    return mapRoom(room);
  }

  /** Inputs are validated before any query, so a failing query means Postgres is unreachable or failing. */
  private async storage<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  private unavailable(error: unknown, room?: string): ChatException {
    this.logger.warn(`chat storage failed: ${error instanceof Error ? error.message : error}`);
    return new ChatException(ChatErrorCode.Unavailable, 'chat storage is unavailable, retry later', room);
  }
}

function seqOfCursor(cursor: string): number {
  const [seq] = decodeCursor(cursor, 1) ?? [];
  if (!seq || !/^\d{1,15}$/.test(seq)) throw new BadRequestException('cursor is not one this API gave out');
  return Number(seq);
}

function unknownRoom(room: string): ChatException {
  return new ChatException(ChatErrorCode.UnknownRoom, `no room named ${JSON.stringify(room.slice(0, 80))}`, room.slice(0, 80));
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, NotContains, validateSync } from 'class-validator';
import {
  CHAT_HISTORY_DEFAULT_LIMIT,
  CHAT_HISTORY_MAX_LIMIT,
  CHAT_MAX_CONTENT_LENGTH,
  CHAT_ROOM_NAME,
  ChatErrorCode,
  ChatMessageFrame,
  ChatRoomResponse,
} from '@fleet/contracts';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatRoomEntity } from './chat-room.entity';
import { ChatException } from './chat.exception';

// ---- WebSocket frames (client -> server) ------------------------------------------------------
// Room names are only checked to be strings here: a well-typed name that cannot exist is an
// unknown room (ChatService), not a malformed frame.

export class MessageFrameDto {
  @IsOptional() @IsIn(['message'])
  type?: 'message';

  @IsOptional() @IsString()
  room?: string;

  @IsString()
  @MinLength(1)
  @Matches(/\S/, { message: 'content must not be blank' })
  // Postgres text cannot hold NUL; refusing it here keeps it a client error, not a storage one.
  @NotContains('\u0000', { message: 'content must not contain NUL characters' })
  @MaxLength(CHAT_MAX_CONTENT_LENGTH)
  content!: string;
}

export class JoinFrameDto {
  @IsIn(['join'])
  type!: 'join';

  @IsString()
  room!: string;

  @IsOptional() @IsInt() @Min(0)
  after_seq?: number;
}

export class ResumeFrameDto {
  @IsIn(['resume'])
  type!: 'resume';

  @IsString()
  room!: string;

  @IsInt() @Min(0)
  after_seq!: number;
}

export class LeaveFrameDto {
  @IsIn(['leave'])
  type!: 'leave';

  @IsString()
  room!: string;
}

/**
 * Validates a parsed frame against a frame class. Only the class's own fields are copied (by
 * hand, no implicit conversion: `"5"` is not a seq), so extra fields such as a client-supplied
 * `user_id` are ignored, never trusted. Throws `bad_frame`, or `content_too_long`.
 */
export function parseFrame<T extends object>(dto: new () => T, data: unknown): T {
  const frame = new dto();
  const source = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  for (const key of frameKeys(dto)) {
    if (Object.prototype.hasOwnProperty.call(source, key)) (frame as Record<string, unknown>)[key] = source[key];
  }
  const [error] = validateSync(frame, { forbidUnknownValues: true });
  if (!error) return frame;
  const content = (frame as { content?: unknown }).content;
  if (error.property === 'content' && typeof content === 'string' && content.length > CHAT_MAX_CONTENT_LENGTH) {
    throw new ChatException(ChatErrorCode.ContentTooLong, `content is longer than ${CHAT_MAX_CONTENT_LENGTH} characters`);
  }
  // Of a field's failed checks, a type error says the most.
  const constraints = error.constraints ?? {};
  const message = constraints.isString ?? constraints.isInt ?? Object.values(constraints)[0] ?? `${error.property} is invalid`;
  throw new ChatException(ChatErrorCode.BadFrame, message);
}

const FRAME_KEYS = new Map<Function, string[]>([
  [MessageFrameDto, ['type', 'room', 'content']],
  [JoinFrameDto, ['type', 'room', 'after_seq']],
  [ResumeFrameDto, ['type', 'room', 'after_seq']],
  [LeaveFrameDto, ['type', 'room']],
]);

function frameKeys(dto: Function): string[] {
  const keys = FRAME_KEYS.get(dto);
  if (!keys) throw new Error(`${dto.name} is not a chat frame class`);
  return keys;
}

// ---- HTTP ---------------------------------------------------------------------------------------

/** Digits only, so `1e3`, `0x10`, `1.5` and `` stay strings and fail @IsInt. */
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value);

export class HistoryQueryDto {
  // Explicit because the swagger plugin cannot see that a property with an initializer is optional.
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Messages after this seq (0: from the first).' })
  @IsOptional() @Transform(toInteger) @IsInt() @Min(0)
  after_seq: number = 0;

  /** `next_cursor` of the previous page; takes the place of after_seq. */
  @IsOptional() @IsString() @MaxLength(64)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: CHAT_HISTORY_MAX_LIMIT, default: CHAT_HISTORY_DEFAULT_LIMIT })
  @IsOptional() @Transform(toInteger) @IsInt() @Min(1) @Max(CHAT_HISTORY_MAX_LIMIT)
  limit: number = CHAT_HISTORY_DEFAULT_LIMIT;
}

export class CreateRoomDto {
  @IsString()
  @Matches(CHAT_ROOM_NAME, { message: `name must match ${CHAT_ROOM_NAME}` })
  name!: string;
}

export function mapMessage(message: ChatMessageEntity): ChatMessageFrame {
  return {
    id: message.id,
    room: message.room,
    seq: message.seq,
    content: message.content,
    user_id: message.userId,
    created_at: message.createdAt.toISOString(),
  };
}

export function mapRoom(room: ChatRoomEntity): ChatRoomResponse {
  return { name: room.name, last_seq: room.lastSeq, created_at: room.createdAt.toISOString() };
}

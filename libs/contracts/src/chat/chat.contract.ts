/**
 * The realtime chat protocol on `/base_api/ws`, shared by the base service, its tests, the
 * benchmark and any client written in TypeScript. Frames are JSON text.
 */
import type { CursorPage } from '../paging';

export const CHAT_DEFAULT_ROOM = 'lobby';
export const CHAT_ROOM_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const CHAT_MAX_CONTENT_LENGTH = 4000;
/** A frame larger than this is refused before it is parsed. */
export const CHAT_MAX_FRAME_BYTES = 16 * 1024;
/** Rooms one connection may be in at once, lobby included. */
export const CHAT_MAX_ROOMS_PER_CLIENT = 32;
/** Frames per second one connection may send (token bucket; the burst is the same number). */
export const CHAT_MAX_FRAMES_PER_SECOND = 20;
/** Page size bounds of `GET /rooms/:room/messages`. */
export const CHAT_HISTORY_DEFAULT_LIMIT = 100;
export const CHAT_HISTORY_MAX_LIMIT = 500;

/** WebSocket close codes (4000-4999 are for applications). */
export enum ChatCloseCode {
  Unauthorized = 4401,
  Forbidden = 4403,
  ServerShutdown = 1001,
  /** The server could not check the token or reach its storage right now; reconnect later. */
  TryAgainLater = 1013,
  /** The client did not read fast enough: its send buffer passed the server's bound. */
  SlowConsumer = 4408,
}

/** Client -> server. A frame without `type` but with `content` is a message (the original chat's shape). */
export type ChatClientFrame =
  | { type?: 'message'; room?: string; content: string }
  | { type: 'join'; room: string; after_seq?: number }
  | { type: 'leave'; room: string }
  | { type: 'resume'; room: string; after_seq: number };

/** Server -> client: a stored message, delivered to every member of its room. */
export interface ChatMessageFrame {
  id: string;
  room: string;
  seq: number;
  content: string;
  user_id: string;
  created_at: string;
}

export enum ChatErrorCode {
  BadFrame = 'bad_frame',
  UnknownRoom = 'unknown_room',
  ContentTooLong = 'content_too_long',
  NotInRoom = 'not_in_room',
  Unavailable = 'unavailable',
  RateLimited = 'rate_limited',
  TooManyRooms = 'too_many_rooms',
  /** HTTP only: `POST /rooms` for a name that exists. */
  RoomExists = 'room_exists',
  Internal = 'internal',
}

export type ChatControlFrame =
  | { type: 'welcome'; user_id: string; rooms: string[]; instance?: string }
  | { type: 'joined'; room: string; last_seq: number }
  | { type: 'left'; room: string }
  | { type: 'error'; code: ChatErrorCode; message: string; room?: string };

export type ChatServerFrame = ChatMessageFrame | ChatControlFrame;

/** `GET /rooms/:room/messages`: one cursor page, oldest first (`next_cursor` null on the last page). */
export type ChatHistoryResponse = CursorPage<ChatMessageFrame>;

export interface ChatRoomResponse {
  name: string;
  last_seq: number;
  created_at: string;
}

import type { ChatMessageFrame } from '@fleet/contracts';

/**
 * A stored message on its way to sockets: serialized once, and the same bytes go to every
 * member of the room (and are what travels through Redis).
 */
export interface OutboundMessage {
  room: string;
  seq: number;
  data: Buffer;
}

export function toOutbound(frame: ChatMessageFrame): OutboundMessage {
  return { room: frame.room, seq: frame.seq, data: Buffer.from(JSON.stringify(frame)) };
}

/** A socket as a room sees it. */
export interface RoomMember {
  /** True once the socket is closing or closed: nothing more should be attached for it. */
  readonly closed: boolean;
  /** Queues one serialized frame; false when the socket is gone or was just dropped for being slow. */
  deliver(data: Buffer): boolean;
  /** Resolves when the socket's unsent bytes are below the resume low-water mark, or it closed. */
  drained(): Promise<void>;
}

/** Reads stored messages `afterSeq < seq <= uptoSeq`, oldest first. */
export type BacklogReader = (room: string, afterSeq: number, uptoSeq: number, limit: number) => Promise<OutboundMessage[]>;

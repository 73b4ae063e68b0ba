import { ChatMessageFrame, ChatRoomResponse } from '@fleet/contracts';

/** A chat room. */
export class ChatRoomView implements ChatRoomResponse {
  /** Lower-case letters, digits, "_" and "-", at most 64 characters. */
  name!: string;
  /** The seq of the room's newest message (0 while empty); seqs have no gaps. */
  last_seq!: number;
  created_at!: string;
}

/** A stored message, as history pages and the WebSocket deliver it. */
export class ChatMessageView implements ChatMessageFrame {
  id!: string;
  room!: string;
  /** 1, 2, 3... within the room: resume after the last one seen. */
  seq!: number;
  content!: string;
  /** The sender's token subject. */
  user_id!: string;
  created_at!: string;
}

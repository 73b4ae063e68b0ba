import { ChatMessageEntity } from '../chat/chat-message.entity';
import { ChatRoomEntity } from '../chat/chat-room.entity';

/** Every entity of the base schema, listed explicitly (no globs: the build output decides nothing). */
export const BASE_ENTITIES: Function[] = [ChatRoomEntity, ChatMessageEntity];

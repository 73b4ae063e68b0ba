import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatFanout } from './chat-fanout';
import { ChatFrames } from './chat-frames';
import { ChatHandshake } from './chat-handshake';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatMessageWriter } from './chat-message-writer';
import { ChatRoomEntity } from './chat-room.entity';
import { ChatGateway } from './chat.gateway';
import { ChatRepository } from './chat.repository';
import { ChatService } from './chat.service';
import { RoomFeeds } from './room-feeds';
import { RoomsController } from './rooms.controller';

/** Realtime chat: the `/ws` socket, rooms and history. Needs REDIS, REDIS_SUBSCRIBER, TokenVerifier, BASE_CONFIG (global). */
@Module({
  imports: [TypeOrmModule.forFeature([ChatRoomEntity, ChatMessageEntity])],
  controllers: [RoomsController],
  providers: [ChatRepository, ChatMessageWriter, RoomFeeds, ChatFanout, ChatService, ChatHandshake, ChatFrames, ChatGateway],
})
export class ChatModule {}

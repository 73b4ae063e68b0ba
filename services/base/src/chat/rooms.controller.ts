import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { ChatHistoryResponse, ChatRoomResponse, Page, Role } from '@fleet/contracts';
import { PageQueryDto } from '../paging/paging.dto';
import { ChatHttpExceptionFilter } from './chat-http-exception.filter';
import { CreateRoomDto, HistoryQueryDto } from './chat.dto';
import { ChatService } from './chat.service';

/** Rooms and their history over HTTP (`/base_api/rooms…` through the gateway). */
@Controller('rooms')
@Roles(Role.Operator, Role.Admin, Role.Robot)
@UseFilters(ChatHttpExceptionFilter)
export class RoomsController {
  constructor(private readonly chat: ChatService) {}

  @Get()
  getRooms(@Query() page: PageQueryDto): Promise<Page<ChatRoomResponse>> {
    return this.chat.getRooms(page);
  }

  @Post()
  @Roles(Role.Operator, Role.Admin)
  createRoom(@CurrentUser() user: AuthUser, @Body() dto: CreateRoomDto): Promise<ChatRoomResponse> {
    return this.chat.createRoom(user, dto);
  }

  @Get(':room/messages')
  getHistory(@Param('room') room: string, @Query() query: HistoryQueryDto): Promise<ChatHistoryResponse> {
    return this.chat.getHistory(room, query);
  }
}

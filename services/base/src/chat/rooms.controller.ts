import { Body, Controller, Get, Param, Post, Query, UseFilters } from '@nestjs/common';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { CursorPage, Page, Role } from '@fleet/contracts';
import { ApiCursorPage, ApiPage } from '@fleet/openapi';
import { PageQueryDto } from '../paging/paging.dto';
import { ChatHttpExceptionFilter } from './chat-http-exception.filter';
import { CreateRoomDto, HistoryQueryDto } from './chat.dto';
import { ChatService } from './chat.service';
import { ChatMessageView, ChatRoomView } from './chat.view';

/** Rooms and their history over HTTP (`/base_api/rooms…` through the gateway). */
@Controller('rooms')
@Roles(Role.Operator, Role.Admin, Role.Robot)
@UseFilters(ChatHttpExceptionFilter)
export class RoomsController {
  constructor(private readonly chat: ChatService) {}

  @Get()
  @ApiPage(ChatRoomView)
  getRooms(@Query() page: PageQueryDto): Promise<Page<ChatRoomView>> {
    return this.chat.getRooms(page);
  }

  @Post()
  @Roles(Role.Operator, Role.Admin)
  createRoom(@CurrentUser() user: AuthUser, @Body() dto: CreateRoomDto): Promise<ChatRoomView> {
    return this.chat.createRoom(user, dto);
  }

  /** One page of a room's messages, oldest first: after `after_seq`, or after `cursor`. */
  @Get(':room/messages')
  @ApiCursorPage(ChatMessageView)
  getHistory(@Param('room') room: string, @Query() query: HistoryQueryDto): Promise<CursorPage<ChatMessageView>> {
    return this.chat.getHistory(room, query);
  }
}

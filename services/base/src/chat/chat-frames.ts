import { Injectable } from '@nestjs/common';
import { CHAT_DEFAULT_ROOM, CHAT_MAX_ROOMS_PER_CLIENT, ChatCloseCode, ChatErrorCode } from '@fleet/contracts';
import { JoinFrameDto, LeaveFrameDto, MessageFrameDto, parseFrame, ResumeFrameDto } from './chat.dto';
import { ChatException } from './chat.exception';
import { ChatService } from './chat.service';
import { ChatSession } from './chat-session';

/** What each client frame does. Thrown ChatExceptions become error frames (ChatSession.run). */
@Injectable()
export class ChatFrames {
  constructor(private readonly chat: ChatService) {}

  async message(session: ChatSession, data: unknown): Promise<void> {
    const frame = parseFrame(MessageFrameDto, data);
    const room = frame.room ?? CHAT_DEFAULT_ROOM;
    if (!session.rooms.has(room)) throw await this.chat.refuseNonMember(room);
    await this.chat.send(session.user, room, frame.content);
  }

  async join(session: ChatSession, data: unknown): Promise<void> {
    const frame = parseFrame(JoinFrameDto, data);
    await this.enter(session, frame.room, frame.after_seq);
  }

  /** Like a join with `after_seq`, for a room the client is in or not. */
  async resume(session: ChatSession, data: unknown): Promise<void> {
    const frame = parseFrame(ResumeFrameDto, data);
    await this.enter(session, frame.room, frame.after_seq);
  }

  async leave(session: ChatSession, data: unknown): Promise<void> {
    const { room } = parseFrame(LeaveFrameDto, data);
    if (room === CHAT_DEFAULT_ROOM) throw new ChatException(ChatErrorCode.BadFrame, `every client stays in ${CHAT_DEFAULT_ROOM}`, room);
    if (!session.rooms.has(room)) throw await this.chat.refuseNonMember(room);
    session.rooms.delete(room);
    this.chat.leave(room, session);
    session.send({ type: 'left', room });
  }

  async invalid(_session: ChatSession, data: unknown): Promise<void> {
    const reason = (data as { reason?: unknown } | undefined)?.reason;
    throw new ChatException(ChatErrorCode.BadFrame, typeof reason === 'string' ? reason : 'bad frame');
  }

  /** The lobby at connect time; without it the client cannot chat, so a failure closes the socket. */
  async enterLobby(session: ChatSession, afterSeq: number | undefined): Promise<void> {
    try {
      await this.enter(session, CHAT_DEFAULT_ROOM, afterSeq);
    } catch (error) {
      session.fail(error);
      session.close(ChatCloseCode.TryAgainLater, 'chat storage unavailable, reconnect later');
    }
  }

  /** On disconnect. */
  leaveAll(session: ChatSession): void {
    for (const room of session.rooms) this.chat.leave(room, session);
    session.rooms.clear();
  }

  /**
   * Joins `room`, or moves the client's position in it: `joined` goes out first, then the stored
   * messages after `afterSeq` (in the background, paced by the socket), then live ones.
   */
  private async enter(session: ChatSession, room: string, afterSeq: number | undefined): Promise<void> {
    if (!session.rooms.has(room) && session.rooms.size >= CHAT_MAX_ROOMS_PER_CLIENT) {
      throw new ChatException(ChatErrorCode.TooManyRooms, `a client may be in at most ${CHAT_MAX_ROOMS_PER_CLIENT} rooms`, room);
    }
    const { backlog } = await this.chat.join(room, session, afterSeq, (lastSeq) => {
      session.rooms.add(room);
      session.send({ type: 'joined', room, last_seq: lastSeq });
    });
    backlog.catch((error: unknown) => {
      session.rooms.delete(room);
      this.chat.leave(room, session);
      session.fail(error);
      if (room === CHAT_DEFAULT_ROOM) session.close(ChatCloseCode.TryAgainLater, 'chat storage unavailable, reconnect later');
    });
  }
}

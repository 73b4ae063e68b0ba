import { Logger } from '@nestjs/common';
import WebSocket from 'ws';
import type { AuthUser } from '@fleet/auth';
import { CHAT_MAX_FRAMES_PER_SECOND, ChatCloseCode, ChatErrorCode, ChatServerFrame } from '@fleet/contracts';
import { CHAT_MAX_BUFFERED_BYTES, CHAT_RESUME_LOW_WATER_BYTES } from './chat.constants';
import { ChatException } from './chat.exception';
import { chatMetrics } from './chat.metrics';
import { RoomMember } from './chat.types';
import { TokenBucket } from './token-bucket';

const MAX_CLOSE_REASON_BYTES = 123; // RFC 6455: the close payload is at most 125 bytes, 2 for the code
const TERMINATE_AFTER_CLOSE_MS = 2000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One chat socket: who it is, its rooms, and the rules for talking to it. Frames are handled one
 * at a time in arrival order (a client's messages get seqs in the order it sent them), and those
 * that arrive during the handshake wait for it.
 */
export class ChatSession implements RoomMember {
  private static readonly logger = new Logger(ChatSession.name);
  readonly rooms = new Set<string>();
  private authenticatedUser: AuthUser | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly limiter = new TokenBucket(CHAT_MAX_FRAMES_PER_SECOND, CHAT_MAX_FRAMES_PER_SECOND);
  private expiryTimer: NodeJS.Timeout | undefined;
  private answeredPing = true;

  constructor(readonly socket: WebSocket) {
    socket.on('pong', () => (this.answeredPing = true));
  }

  get closed(): boolean {
    return this.socket.readyState !== WebSocket.OPEN;
  }

  get user(): AuthUser {
    if (!this.authenticatedUser) throw new Error('chat session used before its handshake');
    return this.authenticatedUser;
  }

  get authenticated(): boolean {
    return this.authenticatedUser !== undefined;
  }

  /** Records the verified user and closes the socket when the token expires. */
  authenticate(user: AuthUser): void {
    this.authenticatedUser = user;
    const msLeft = Math.min(user.exp * 1000 - Date.now(), MAX_TIMER_MS);
    this.expiryTimer = setTimeout(() => this.close(ChatCloseCode.Unauthorized, 'token expired'), Math.max(msLeft, 0));
    this.expiryTimer.unref();
  }

  /** Rate limit: false when this frame is over the connection's budget. */
  allowFrame(): boolean {
    return this.limiter.take();
  }

  /** Runs `task` after every earlier one; a ChatException becomes an error frame to this client. */
  run(task: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.closed) return;
      try {
        await task();
      } catch (error) {
        this.fail(error);
      }
    });
  }

  fail(error: unknown): void {
    if (error instanceof ChatException) return this.sendError(error.code, error.message, error.room);
    ChatSession.logger.error(`chat frame failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    this.sendError(ChatErrorCode.Internal, 'internal error');
  }

  sendError(code: ChatErrorCode, message: string, room?: string): void {
    chatMetrics.refused.inc({ code });
    this.send({ type: 'error', code, message, ...(room === undefined ? {} : { room }) });
  }

  send(frame: ChatServerFrame): boolean {
    return this.deliver(Buffer.from(JSON.stringify(frame)));
  }

  /** Drops the client instead of buffering without bound when it does not read fast enough. */
  deliver(data: Buffer): boolean {
    if (this.closed) return false;
    if (this.socket.bufferedAmount + data.length > CHAT_MAX_BUFFERED_BYTES) {
      this.close(ChatCloseCode.SlowConsumer, `too slow: more than ${CHAT_MAX_BUFFERED_BYTES} bytes unread`);
      return false;
    }
    this.socket.send(data, { binary: false });
    return true;
  }

  async drained(): Promise<void> {
    while (!this.closed && this.socket.bufferedAmount > CHAT_RESUME_LOW_WATER_BYTES) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Heartbeat: false when the previous ping went unanswered (the socket is then terminated). */
  ping(): boolean {
    if (!this.answeredPing) {
      this.socket.terminate();
      return false;
    }
    this.answeredPing = false;
    if (!this.closed) this.socket.ping();
    return true;
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.CLOSING || this.socket.readyState === WebSocket.CLOSED) return;
    chatMetrics.closed.inc({ code: String(code) });
    this.socket.close(code, truncateUtf8(reason, MAX_CLOSE_REASON_BYTES));
    // A client that does not read never acknowledges the close; do not keep its buffer 30 s.
    setTimeout(() => this.socket.terminate(), TERMINATE_AFTER_CLOSE_MS).unref();
  }

  dispose(): void {
    clearTimeout(this.expiryTimer);
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  let result = text;
  while (Buffer.byteLength(result) > maxBytes) result = result.slice(0, -1);
  return result;
}

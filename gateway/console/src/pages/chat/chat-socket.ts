import { withAccessToken } from '../../api/http';
import type { ChatMessage } from './chat-api';

/** Close codes of the chat socket (libs/contracts ChatCloseCode). */
const FORBIDDEN = 4403;
/** Reconnect delays: doubling up to a ceiling, each with up to 30 % jitter so clients do not return in step. */
const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];
const JITTER = 0.3;
/** A handshake that brings no welcome in this time is given up (a network can swallow it silently). */
const HANDSHAKE_TIMEOUT_MS = 8_000;

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'failed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** The signed-in user's subject, from the server's welcome (messages carry it as `user_id`). */
  userId?: string;
  /** Reconnect attempts since the last open connection. */
  attempt: number;
  /** When the next attempt starts (epoch ms), while reconnecting. */
  retryAt?: number;
  /** Why the last connection ended, in words. */
  reason?: string;
  /** Rooms the server confirmed (`joined`) on this connection. */
  joined: readonly string[];
}

export interface ChatErrorFrame {
  code: string;
  message: string;
  room?: string;
}

export interface ChatSocketHandlers {
  message(message: ChatMessage): void;
  error(frame: ChatErrorFrame): void;
  /** The newest seq the page holds for a room: a join or a reconnect resumes after it. */
  resumeFrom(room: string): number | undefined;
}

type ServerFrame =
  | ({ type?: undefined } & ChatMessage)
  | { type: 'welcome'; user_id: string }
  | { type: 'joined'; room: string; last_seq: number }
  | { type: 'left'; room: string }
  | ({ type: 'error' } & ChatErrorFrame);

/**
 * The chat WebSocket (`/base_api/ws`, the token as `?access_token=`): reconnects with backoff
 * after any close it did not ask for, and on every welcome re-enters the rooms the page follows
 * from the last seq it holds (`resume`), so nothing sent meanwhile is missed.
 */
export class ChatSocket {
  private socket: WebSocket | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly rooms = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private current: ConnectionState = { status: 'connecting', attempt: 0, joined: [] };
  /** Grows with every connection attempt and on stop: an older attempt still fetching its token gives up. */
  private dials = 0;

  constructor(private readonly handlers: ChatSocketHandlers) {}

  get state(): ConnectionState {
    return this.current;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.dials += 1;
    clearTimeout(this.timer);
    clearTimeout(this.handshakeTimer);
    window.removeEventListener('online', this.reconnectNow);
    this.socket?.close(1000, 'page closed');
    this.socket = undefined;
  }

  /** Follows a room: joins it now when connected, and again after every reconnect. */
  follow(room: string): void {
    this.rooms.add(room);
    if (this.current.status === 'open') this.enter(room);
  }

  unfollow(room: string): void {
    this.rooms.delete(room);
    this.update({ joined: this.current.joined.filter((joined) => joined !== room) });
    // Every client stays in the lobby (the server refuses to leave it).
    if (room !== 'lobby' && this.current.status === 'open') this.write({ type: 'leave', room });
  }

  /** False when not connected (the page keeps the draft). */
  send(room: string, content: string): boolean {
    if (this.current.status !== 'open') return false;
    return this.write({ type: 'message', room, content });
  }

  /** Skips the backoff wait (the "Reconnect now" button, the browser coming back online). */
  reconnectNow = (): void => {
    if (this.stopped || this.current.status === 'open') return;
    clearTimeout(this.timer);
    clearTimeout(this.handshakeTimer);
    // An attempt still under way may have been started while offline: it is dropped for a fresh one.
    const pending = this.socket;
    this.socket = undefined;
    pending?.close();
    void this.connect();
  };

  private async connect(): Promise<void> {
    const dial = ++this.dials;
    this.update({ status: this.current.attempt === 0 && !this.current.userId ? 'connecting' : 'reconnecting', retryAt: undefined });
    let url: string;
    try {
      url = (await withAccessToken('/base_api/ws')).replace(/^http/, 'ws');
    } catch (error) {
      if (dial !== this.dials) return;
      return this.retry(`no token: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (this.stopped || dial !== this.dials) return;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onmessage = (event) => {
      if (this.socket === socket) this.receive(event.data);
    };
    this.handshakeTimer = setTimeout(() => {
      if (this.socket === socket && this.current.status !== 'open') socket.close();
    }, HANDSHAKE_TIMEOUT_MS);
    socket.onclose = (event) => {
      if (this.socket !== socket || this.stopped) return;
      clearTimeout(this.handshakeTimer);
      this.socket = undefined;
      this.update({ joined: [] });
      if (event.code === FORBIDDEN) return this.update({ status: 'failed', reason: event.reason || 'chat is not allowed for this account' });
      this.retry(event.reason || (event.code === 1006 ? 'the connection was lost' : `closed (${event.code})`));
    };
  }

  private retry(reason: string): void {
    const attempt = this.current.attempt + 1;
    const base = BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)];
    const delay = Math.round(base * (1 + Math.random() * JITTER));
    this.update({ status: 'reconnecting', attempt, reason, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case undefined:
        return this.handlers.message(frame);
      case 'welcome':
        clearTimeout(this.handshakeTimer);
        this.update({ status: 'open', userId: frame.user_id, attempt: 0, retryAt: undefined, reason: undefined, joined: [] });
        return this.rooms.forEach((room) => this.enter(room));
      case 'joined':
        if (!this.current.joined.includes(frame.room)) this.update({ joined: [...this.current.joined, frame.room] });
        return;
      case 'error':
        return this.handlers.error(frame);
      default:
        return;
    }
  }

  /** Joins (or re-enters) a room after the newest message the page holds; the server sends what came since, then live ones. */
  private enter(room: string): void {
    const afterSeq = this.handlers.resumeFrom(room);
    this.write(afterSeq === undefined ? { type: 'join', room } : { type: 'resume', room, after_seq: afterSeq });
  }

  private write(frame: object): boolean {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private update(changes: Partial<ConnectionState>): void {
    this.current = { ...this.current, ...changes };
    this.listeners.forEach((listener) => listener());
  }
}

import WebSocket from 'ws';
import type { ChatMessageFrame, ChatServerFrame } from '@fleet/contracts';

export type Frame = ChatServerFrame & Record<string, unknown>;

export interface ChatClientOptions {
  token?: string;
  /** Put the token in `?access_token=` instead of the Authorization header. */
  tokenInQuery?: boolean;
  query?: Record<string, string | number>;
  path?: string;
}

/** A real `ws` client that records every frame it gets, for tests and the bench. */
export class ChatClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    this.closed = new Promise((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    void this.closed.then(() => this.wake());
  }

  /** Connects (resolves on open; the handshake's verdict comes as `welcome` or a close). */
  static async connect(baseUrl: string, options: ChatClientOptions = {}): Promise<ChatClient> {
    const url = new URL(options.path ?? '/ws', baseUrl.replace(/^http/, 'ws'));
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = {};
    if (options.token && options.tokenInQuery) url.searchParams.set('access_token', options.token);
    else if (options.token) headers.authorization = `Bearer ${options.token}`;
    const socket = new WebSocket(url, { headers });
    const client = new ChatClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  /** Connects and waits for `welcome` and the lobby's `joined`. */
  static async ready(baseUrl: string, options: ChatClientOptions = {}): Promise<ChatClient> {
    const client = await ChatClient.connect(baseUrl, options);
    await client.next((frame) => frame.type === 'joined' && frame.room === 'lobby');
    return client;
  }

  get messages(): ChatMessageFrame[] {
    return this.frames.filter((frame): frame is Frame & ChatMessageFrame => typeof frame.seq === 'number' && frame.type === undefined);
  }

  messagesIn(room: string): ChatMessageFrame[] {
    return this.messages.filter((message) => message.room === room);
  }

  errors(): Frame[] {
    return this.frames.filter((frame) => frame.type === 'error');
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first recorded frame (from `from` on) matching `match`; waits for it. */
  async next(match: (frame: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    const found = await this.until(() => this.frames.slice(from).find(match), timeoutMs, 'a matching frame');
    return found;
  }

  /** Waits until `count` message frames of `room` were recorded. */
  async waitForMessages(room: string, count: number, timeoutMs = 5000): Promise<ChatMessageFrame[]> {
    return this.until(() => (this.messagesIn(room).length >= count ? this.messagesIn(room) : undefined), timeoutMs, `${count} messages in ${room}`);
  }

  async until<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0 || this.socket.readyState === WebSocket.CLOSED) {
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames.slice(-5))} (state ${this.socket.readyState})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.close(1000);
    return this.closed;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

import { ChatMessageFrame } from '@fleet/contracts';
import { ChatClient } from '@fleet/testing';
import WebSocket from 'ws';
import { TokenSource } from './station-api';

/** What a chat actor reports: each message sent, each one it got back with its `seq` (acknowledged), each frame heard, each reconnect. */
export interface ChatActorEvents {
  sent?(content: string): void;
  acknowledged?(message: { room: string; content: string; seq: number }): void;
  heard?(): void;
  reconnected?(): void;
}

/**
 * One chat client through the gateway in one room (the lobby, or a room it joins): it speaks every
 * `everyMs` or so, counts a message as acknowledged when it comes back with its `seq`, and after a
 * dropped connection (an instance gone, the gateway restarting) reconnects and resumes after the
 * last seq it saw, as the console does.
 */
export class ChatActor {
  private client?: ChatClient;
  private lastSeq = 0;
  private said = 0;
  private readonly pending = new Set<string>();
  private stopped = false;

  constructor(
    private readonly gatewayUrl: string,
    private readonly tokens: TokenSource,
    private readonly room: string,
    private readonly say: (n: number) => string,
    private readonly events: ChatActorEvents = {},
  ) {}

  /** Runs until stop(). */
  async run(everyMs: number): Promise<void> {
    let first = true;
    while (!this.stopped) {
      try {
        if (!first) this.events.reconnected?.();
        first = false;
        await this.connect();
        while (!this.stopped && this.client?.socket.readyState === WebSocket.OPEN) {
          await new Promise((resolve) => setTimeout(resolve, everyMs * (0.5 + Math.random())));
          if (this.client?.socket.readyState !== WebSocket.OPEN || this.stopped) break;
          const content = this.say(++this.said);
          this.pending.add(content);
          this.client.send({ room: this.room, content });
          this.events.sent?.(content);
        }
      } catch {
        // the gateway or base is away: try again shortly
      }
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.close();
  }

  private async connect(): Promise<void> {
    const client = await ChatClient.ready(this.gatewayUrl, { path: '/base_api/ws', token: await this.tokens.token(), tokenInQuery: true });
    this.client = client;
    client.socket.on('message', (data) => {
      this.events.heard?.();
      const frame = JSON.parse(data.toString()) as Partial<ChatMessageFrame> & { type?: string };
      if (frame.type !== undefined || frame.room !== this.room || typeof frame.seq !== 'number') return;
      this.lastSeq = Math.max(this.lastSeq, frame.seq);
      if (frame.content && this.pending.delete(frame.content)) this.events.acknowledged?.({ room: this.room, content: frame.content, seq: frame.seq });
    });
    // Into the room (the lobby is joined on connect anyway) after the last seq seen: nothing missed, nothing twice.
    client.send({ type: 'resume', room: this.room, after_seq: this.lastSeq });
    await client.next((frame) => frame.type === 'joined' && frame.room === this.room, 5_000, client.frames.length);
  }
}

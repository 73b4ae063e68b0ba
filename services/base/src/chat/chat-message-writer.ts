import { Injectable } from '@nestjs/common';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatRepository, NewMessage } from './chat.repository';

/** Messages of one INSERT at most (4,000 characters each: a statement stays under 8 MB of text). */
const MAX_MESSAGES_PER_APPEND = 500;

interface Pending {
  message: NewMessage;
  resolve: (stored: ChatMessageEntity | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for chat messages, one queue per room. Every append commits under the room row's
 * lock and waits for a WAL flush (several ms on this disk, tens under load), so a room could
 * otherwise take only one message per flush. Messages that arrive while a room's append is in
 * flight are stored together by the next one, in arrival order, with consecutive seqs. A caller
 * still hears back only after its message is committed with its seq; alone, it is written at once.
 * A failed append stores none of its messages (one transaction); they are then tried one by one,
 * so only a message that fails on its own is refused.
 */
@Injectable()
export class ChatMessageWriter {
  private readonly queues = new Map<string, Pending[]>();

  constructor(private readonly repository: ChatRepository) {}

  /** Resolves to the stored message, or null when the room does not exist. */
  append(room: string, message: NewMessage): Promise<ChatMessageEntity | null> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(room);
      if (queue) return void queue.push({ message, resolve, reject });
      this.queues.set(room, [{ message, resolve, reject }]);
      void this.flush(room);
    });
  }

  /** Runs while the room has a queue; the queue's presence marks the room's append as in flight. */
  private async flush(room: string): Promise<void> {
    const queue = this.queues.get(room)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_MESSAGES_PER_APPEND);
      try {
        const stored = await this.repository.appendMessages(
          room,
          batch.map((pending) => pending.message),
        );
        batch.forEach((pending, i) => pending.resolve(stored ? stored[i] : null));
      } catch (error) {
        if (batch.length === 1) batch[0].reject(error);
        else await this.appendOneByOne(room, batch);
      }
    }
    this.queues.delete(room);
  }

  /**
   * After a batch failed (one transaction: nothing of it is stored), each of its messages on its
   * own, in order: one bad message fails alone instead of taking its neighbours with it.
   */
  private async appendOneByOne(room: string, batch: Pending[]): Promise<void> {
    for (const pending of batch) {
      try {
        const stored = await this.repository.appendMessages(room, [pending.message]);
        pending.resolve(stored ? stored[0] : null);
      } catch (error) {
        pending.reject(error);
      }
    }
  }
}

import amqp from 'amqplib';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { deadLetterQueueFor, eventQueueForService, queueForService } from '../../src';

export const RMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A service name no other run uses, so queues never collide (contract segments: [a-z][a-z0-9_]*). */
export function uniqueService(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export async function withChannel<T>(fn: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const connection = await amqp.connect(RMQ_URL);
  try {
    return await fn(await connection.createChannel());
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export async function deleteServiceQueues(service: string): Promise<void> {
  await withChannel(async (channel) => {
    for (const queue of [queueForService(service), eventQueueForService(service)]) {
      await channel.deleteQueue(queue);
      await channel.deleteQueue(deadLetterQueueFor(queue));
    }
  });
}

export function rabbitmqctl(...args: string[]): string {
  return execFileSync('rabbitmqctl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

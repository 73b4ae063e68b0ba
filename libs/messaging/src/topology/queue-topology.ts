import type { Channel, Options } from 'amqplib';
import { QUEUE_PREFIX, rpcQueueOf } from '@fleet/contracts';

/**
 * Where messages live, defined once.
 *
 * - RPC: a method's contract names its direct queue (`fleet.face`, or a worker pool's
 *   `fleet.vision.detect`); the serving side consumes it, with a dead-letter queue next to it.
 * - Events: published to one topic exchange, `fleet.events`, with the event's name as routing
 *   key. Each consuming service binds its own durable queue (`fleet.<service>.events`, shared by
 *   its instances) to the events it handles; an event every instance must see goes to a
 *   per-instance exclusive queue instead. An event no queue is bound to goes to the alternate
 *   exchange's queue, `fleet.events.unrouted`, rather than vanishing.
 */
export const EVENTS_EXCHANGE = `${QUEUE_PREFIX}.events`;
export const UNROUTED_EVENTS_EXCHANGE = `${QUEUE_PREFIX}.events.unrouted`;
export const UNROUTED_EVENTS_QUEUE = `${QUEUE_PREFIX}.events.unrouted`;
/** Unrouted events are kept for inspection, not forever: the oldest go first past this many. */
const UNROUTED_MAX_LENGTH = 100_000;

/** The direct queue of a service's own RPC methods. */
export const queueForService = rpcQueueOf;

/** The durable queue a service's instances share for the events it consumes. */
export function eventQueueForService(service: string): string {
  return `${QUEUE_PREFIX}.${service}.events`;
}

export function deadLetterQueueFor(queue: string): string {
  return `${queue}.dlq`;
}

/**
 * Declares the event exchange with its alternate exchange and, for publishers, the unrouted queue.
 * Publishers and consumers both call it (declarations with the same arguments are idempotent), so
 * a producer can publish before any consumer has ever started. Consumers skip the queue: fewer
 * processes declaring one new quorum queue at once (RabbitMQ may answer a burst of those with a
 * connection-level 541, which the connection managers survive by reconnecting).
 */
export async function assertEventExchanges(channel: Channel, options: { unroutedQueue: boolean } = { unroutedQueue: true }): Promise<void> {
  await channel.assertExchange(UNROUTED_EVENTS_EXCHANGE, 'fanout', { durable: true });
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true, alternateExchange: UNROUTED_EVENTS_EXCHANGE });
  if (!options.unroutedQueue) return;
  await channel.assertQueue(UNROUTED_EVENTS_QUEUE, {
    durable: true,
    arguments: { 'x-queue-type': 'quorum', 'x-max-length': UNROUTED_MAX_LENGTH },
  });
  await channel.bindQueue(UNROUTED_EVENTS_QUEUE, UNROUTED_EVENTS_EXCHANGE, '');
}

/**
 * A per-instance event queue: named by the broker, gone with its connection. It dead-letters to
 * the service's event DLQ; being a classic queue it does not count deliveries, so the server
 * allows such a message one redelivery.
 */
export function instanceEventQueueOptions(service: string): Options.AssertQueue {
  return {
    exclusive: true,
    autoDelete: true,
    durable: false,
    arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': deadLetterQueueFor(eventQueueForService(service)) },
  };
}

/**
 * Arguments of a service's work queue. RabbitMQ refuses (406 PRECONDITION_FAILED, closing the
 * channel) a declaration whose arguments differ from the existing queue's, so only the owning
 * service declares it (callers never do) and always through this function.
 *
 * - quorum: replicated, durable, and it counts deliveries (`x-delivery-count`), which the retry
 *   policy reads; every message on it is persisted whatever its delivery mode.
 * - `x-delivery-limit`: the broker counts every return (nack with requeue, or the consumer's
 *   connection dying) and dead-letters a message returned more often than the limit, so a limit of
 *   maxDeliveries - 1 allows exactly maxDeliveries deliveries. This is the backstop for a message
 *   that kills its worker each time, where no code of ours runs to dead-letter it.
 * - at-least-once dead-lettering keeps a message until the DLQ has confirmed it (the default,
 *   at-most-once, may drop it); RabbitMQ requires `reject-publish` overflow for that mode.
 */
export function workQueueOptions(queue: string, maxDeliveries: number): Options.AssertQueue {
  return {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': Math.max(maxDeliveries - 1, 0),
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': deadLetterQueueFor(queue),
      'x-dead-letter-strategy': 'at-least-once',
      'x-overflow': 'reject-publish',
    },
  };
}

export function deadLetterQueueOptions(): Options.AssertQueue {
  return { durable: true, arguments: { 'x-queue-type': 'quorum' } };
}

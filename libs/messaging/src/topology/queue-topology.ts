import type { Options } from 'amqplib';

/**
 * Where messages live, defined once. A contract name's first segment is the service that owns it
 * (`face.identify.v1` -> `face`), and each service consumes one work queue (`fleet.face`) with a
 * dead-letter queue next to it (`fleet.face.dlq`).
 */
const QUEUE_PREFIX = 'fleet';

export function queueForService(service: string): string {
  return `${QUEUE_PREFIX}.${service}`;
}

export function deadLetterQueueFor(queue: string): string {
  return `${queue}.dlq`;
}

export function owningService(contractName: string): string {
  const dot = contractName.indexOf('.');
  return dot > 0 ? contractName.slice(0, dot) : contractName;
}

export function queueForContract(contract: { name: string }): string {
  return queueForService(owningService(contract.name));
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

import type { RpcErrorBody } from '@fleet/contracts';

/**
 * The message body is Nest's RMQ packet, so a stock `ClientRMQ` can call our handlers and our
 * client can call a stock `ServerRMQ`: a request is `{ pattern, data, id }` (an event has no `id`),
 * a reply is `{ id, response }` or `{ id, err }`. Our server always sends exactly one reply packet.
 */
export interface RequestPacket {
  pattern: string;
  data: unknown;
  id?: string;
}

export interface ReplyPacket {
  id: string;
  response?: unknown;
  err?: RpcErrorBody;
  isDisposed: true;
}

/** Absolute deadline of a call in epoch milliseconds; past it the caller no longer waits. */
export const DEADLINE_HEADER = 'x-deadline';

/** RabbitMQ's pseudo-queue for replies straight to the publishing channel (no reply queue to declare). */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export const JSON_CONTENT_TYPE = 'application/json';

export function encodePacket(packet: RequestPacket | ReplyPacket): Buffer {
  return Buffer.from(JSON.stringify(packet));
}

/** Returns undefined for a body that is not a packet, so the caller can dead-letter it. */
export function decodeRequest(content: Buffer): RequestPacket | undefined {
  try {
    const packet = JSON.parse(content.toString('utf8')) as Partial<RequestPacket> | null;
    if (typeof packet !== 'object' || packet === null || typeof packet.pattern !== 'string') return undefined;
    if (packet.id !== undefined && typeof packet.id !== 'string') return undefined;
    return packet as RequestPacket;
  } catch {
    return undefined;
  }
}

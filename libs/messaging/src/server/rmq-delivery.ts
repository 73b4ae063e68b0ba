import type { ConsumeMessage } from 'amqplib';
import { RmqContext } from '@nestjs/microservices';
import { RpcErrorCode } from '@fleet/contracts';
import { normaliseRequestId, REQUEST_ID_HEADER } from '@fleet/logging';
import { RpcError } from '../errors/rpc-error';
import { DEADLINE_HEADER, decodeRequest, RequestPacket } from '../topology/wire-format';

/** One received message with what the server's decisions need, read once from its headers. */
export interface Delivery {
  message: ConsumeMessage;
  /** Undefined when the body is not a request packet. */
  packet?: RequestPacket;
  /** The pattern, for logs and metric labels. */
  method: string;
  messageId: string;
  requestId: string;
  /** 1 on the first delivery; quorum queues count returns in `x-delivery-count`. */
  attempt: number;
  /** Epoch ms after which the caller no longer waits, when the caller set one. */
  deadline?: number;
  /** A request (it carries an id and somewhere to reply), as opposed to an event. */
  expectsReply: boolean;
}

export function readDelivery(message: ConsumeMessage): Delivery {
  const { properties } = message;
  const headers = properties.headers ?? {};
  const packet = decodeRequest(message.content, headers);
  const deadline = Number(headers[DEADLINE_HEADER]);
  return {
    message,
    packet,
    method: packet?.pattern ?? 'unparseable',
    messageId: typeof properties.messageId === 'string' ? properties.messageId : '',
    requestId: normaliseRequestId(headers[REQUEST_ID_HEADER]),
    attempt: (Number(headers['x-delivery-count']) || 0) + 1,
    deadline: Number.isFinite(deadline) && deadline > 0 ? deadline : undefined,
    expectsReply: Boolean(packet?.id && properties.replyTo),
  };
}

/** The message id the caller set (a uuid per call by default): the key for {@link idempotent}. */
export function messageIdOf(context: RmqContext): string {
  const messageId = context.getMessage().properties?.messageId;
  if (typeof messageId !== 'string' || messageId === '') {
    throw new RpcError(RpcErrorCode.InvalidRequest, 'The message carries no message id, so it cannot be deduplicated');
  }
  return messageId;
}

/** Which delivery of this message the handler is running (1 = first). */
export function deliveryAttemptOf(context: RmqContext): number {
  return (Number(context.getMessage().properties?.headers?.['x-delivery-count']) || 0) + 1;
}

import type { RpcErrorBody } from '@fleet/contracts';

/**
 * The message body is Nest's RMQ packet, so a stock `ClientRMQ` can call our handlers and our
 * client can call a stock `ServerRMQ`: a request is `{ pattern, data, id }` (an event has no `id`),
 * a reply is `{ id, response }` or `{ id, err }`. Our server always sends exactly one reply packet.
 *
 * Bytes travel as bytes: a `Buffer` (any Uint8Array) that is a field of the params or of the result,
 * or an element of an array that is, leaves the JSON as `{"$attachment": n}` and its bytes follow
 * the JSON in the body, their lengths in the {@link ATTACHMENTS_HEADER} header. Base64 inside JSON
 * would make a camera frame a third larger and cost both sides an encode, a copy into a string and
 * a parse of it (~0.5 ms and a burst of garbage per 100 KB image). Only a reader of this library
 * understands such a body: a stock Nest peer, or one of ours from before, gets JSON only as long
 * as nobody passes it bytes (contracts that take bytes also accept base64 strings for them).
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

/** Byte lengths of the binary parts that follow the packet's JSON in the body, in order; absent when there are none. */
export const ATTACHMENTS_HEADER = 'x-attachments';

/** RabbitMQ's pseudo-queue for replies straight to the publishing channel (no reply queue to declare). */
export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export const JSON_CONTENT_TYPE = 'application/json';
/** A body that is the packet's JSON followed by its attachments. */
export const PACKET_WITH_ATTACHMENTS_CONTENT_TYPE = 'application/vnd.fleet.packet+attachments';

const ATTACHMENT_KEY = '$attachment';

/** What a message carries: its body, and the attachments' lengths for the header when it has any. */
export interface EncodedPacket {
  body: Buffer;
  contentType: string;
  attachments?: number[];
}

/** The headers that tell a reader how to split an encoded packet's body (none for plain JSON). */
export function attachmentHeaders(encoded: EncodedPacket): Record<string, unknown> {
  return encoded.attachments ? { [ATTACHMENTS_HEADER]: encoded.attachments } : {};
}

const isBytes = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/**
 * The payload with its bytes replaced by placeholders, or the payload itself when it holds none.
 * Only the payload's own fields and their array elements are looked at: that is where contracts
 * put bytes, and a deeper walk would cost every message for nothing.
 */
function detach(payload: unknown, parts: Uint8Array[]): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload) || isBytes(payload)) return payload;
  let copy: Record<string, unknown> | undefined;
  const placeholder = (bytes: Uint8Array) => ({ [ATTACHMENT_KEY]: parts.push(bytes) - 1 });
  for (const key in payload) {
    const value = (payload as Record<string, unknown>)[key];
    let replaced: unknown = value;
    if (isBytes(value)) replaced = placeholder(value);
    else if (Array.isArray(value) && value.some(isBytes)) replaced = value.map((item: unknown) => (isBytes(item) ? placeholder(item) : item));
    if (replaced !== value) (copy ??= { ...(payload as Record<string, unknown>) })[key] = replaced;
  }
  return copy ?? payload;
}

export function encodePacket(packet: RequestPacket | ReplyPacket): EncodedPacket {
  const parts: Uint8Array[] = [];
  const isRequest = 'pattern' in packet;
  const payload = detach(isRequest ? packet.data : packet.response, parts);
  if (!parts.length) return { body: Buffer.from(JSON.stringify(packet)), contentType: JSON_CONTENT_TYPE };
  const json = Buffer.from(JSON.stringify(isRequest ? { ...packet, data: payload } : { ...packet, response: payload }));
  return {
    body: Buffer.concat([json, ...parts]),
    contentType: PACKET_WITH_ATTACHMENTS_CONTENT_TYPE,
    attachments: parts.map((part) => part.byteLength),
  };
}

/** Thrown inside decoding for a body that does not match its attachments header. */
class MalformedBody extends Error {}

function isPlaceholder(value: unknown): value is { [ATTACHMENT_KEY]: number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === ATTACHMENT_KEY;
}

/** The inverse of {@link detach}: placeholders become Buffers over the body's bytes (no copy). */
function attach(payload: unknown, parts: Buffer[], used: Set<number>): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const take = (placeholder: { [ATTACHMENT_KEY]: number }): Buffer => {
    const index = placeholder[ATTACHMENT_KEY];
    if (!Number.isInteger(index) || index < 0 || index >= parts.length || used.has(index)) throw new MalformedBody();
    used.add(index);
    return parts[index];
  };
  const fields = payload as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (isPlaceholder(value)) fields[key] = take(value);
    else if (Array.isArray(value)) fields[key] = value.map((item: unknown) => (isPlaceholder(item) ? take(item) : item));
  }
  return payload;
}

/** Splits a body by its attachments header into the JSON text and the parts; undefined when they do not add up. */
function split(content: Buffer, header: unknown): { json: Buffer; parts: Buffer[] } | undefined {
  if (header === undefined) return { json: content, parts: [] };
  if (!Array.isArray(header) || header.length === 0) return undefined;
  let offset = content.length;
  const lengths = header as unknown[];
  for (const length of lengths) {
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0) return undefined;
    offset -= length;
  }
  if (offset < 0) return undefined;
  const parts: Buffer[] = [];
  let start = offset;
  for (const length of lengths as number[]) {
    parts.push(content.subarray(start, start + length));
    start += length;
  }
  return { json: content.subarray(0, offset), parts };
}

/** The packet in a body, its attachments in place; undefined for anything that is not such a body. */
function decode(content: Buffer, headers: Record<string, unknown> | undefined, payloadKey: 'data' | 'response'): Record<string, unknown> | undefined {
  const body = split(content, headers?.[ATTACHMENTS_HEADER]);
  if (!body) return undefined;
  try {
    const packet = JSON.parse(body.json.toString('utf8')) as unknown;
    if (typeof packet !== 'object' || packet === null || Array.isArray(packet)) return undefined;
    const fields = packet as Record<string, unknown>;
    if (body.parts.length) {
      const used = new Set<number>();
      fields[payloadKey] = attach(fields[payloadKey], body.parts, used);
      // Every part must be claimed by exactly one placeholder: anything else is a corrupt body.
      if (used.size !== body.parts.length) return undefined;
    }
    return fields;
  } catch {
    return undefined;
  }
}

/** Returns undefined for a body that is not a packet, so the caller can dead-letter it. */
export function decodeRequest(content: Buffer, headers?: Record<string, unknown>): RequestPacket | undefined {
  const packet = decode(content, headers, 'data') as Partial<RequestPacket> | undefined;
  if (!packet || typeof packet.pattern !== 'string') return undefined;
  if (packet.id !== undefined && typeof packet.id !== 'string') return undefined;
  return packet as RequestPacket;
}

/** Returns undefined for a body that is not a reply packet. */
export function decodeReply(content: Buffer, headers?: Record<string, unknown>): Partial<ReplyPacket> | undefined {
  return decode(content, headers, 'response') as Partial<ReplyPacket> | undefined;
}

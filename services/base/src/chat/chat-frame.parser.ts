import { CHAT_MAX_FRAME_BYTES } from '@fleet/contracts';

/** Event names the chat gateway subscribes to; every text frame maps to exactly one of them. */
export enum ChatEvent {
  Message = 'message',
  Join = 'join',
  Leave = 'leave',
  Resume = 'resume',
  Invalid = 'invalid',
}

type WsData = string | Buffer | ArrayBuffer | Buffer[];

function asText(data: WsData): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/**
 * Nest's WsAdapter wants `{event, data}`; our clients send the original chat's plain frames
 * (`{"content": "..."}`, `{"type":"join","room":"r"}`). Anything unparseable becomes an
 * `invalid` event so the gateway can answer that client with an error frame.
 */
export function chatMessageParser(raw: WsData): { event: string; data: unknown } {
  const text = asText(raw);
  if (Buffer.byteLength(text) > CHAT_MAX_FRAME_BYTES) {
    return { event: ChatEvent.Invalid, data: { reason: `frame larger than ${CHAT_MAX_FRAME_BYTES} bytes` } };
  }
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return { event: ChatEvent.Invalid, data: { reason: 'frame is not valid JSON' } };
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    return { event: ChatEvent.Invalid, data: { reason: 'frame must be a JSON object' } };
  }
  const type = (frame as { type?: unknown }).type ?? ChatEvent.Message;
  const known = [ChatEvent.Message, ChatEvent.Join, ChatEvent.Leave, ChatEvent.Resume] as unknown[];
  if (!known.includes(type)) {
    return { event: ChatEvent.Invalid, data: { reason: `unknown frame type ${JSON.stringify(type)}` } };
  }
  return { event: type as ChatEvent, data: frame };
}

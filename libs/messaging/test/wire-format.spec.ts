import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACHMENTS_HEADER, decodeReply, decodeRequest, encodePacket, JSON_CONTENT_TYPE, PACKET_WITH_ATTACHMENTS_CONTENT_TYPE } from '../src';

const headersOf = (encoded: ReturnType<typeof encodePacket>) => (encoded.attachments ? { [ATTACHMENTS_HEADER]: encoded.attachments } : undefined);

describe('wire format', () => {
  it('keeps a packet without bytes plain JSON, as a stock Nest peer reads it', () => {
    const encoded = encodePacket({ pattern: 'svc.m.v1', data: { text: 'héllo', n: [1, 2] }, id: 'c1' });
    assert.equal(encoded.contentType, JSON_CONTENT_TYPE);
    assert.equal(encoded.attachments, undefined);
    assert.deepEqual(JSON.parse(encoded.body.toString()), { pattern: 'svc.m.v1', data: { text: 'héllo', n: [1, 2] }, id: 'c1' });
  });

  it('moves bytes out of the JSON and back, in fields and arrays, without base64', () => {
    const image = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256));
    const frames = [Buffer.from('a'), new Uint8Array([1, 2, 3])];
    const params = { image, frames, name: 'x', mixed: ['text', Buffer.from('b')] };
    const encoded = encodePacket({ pattern: 'svc.m.v1', data: params, id: 'c2' });
    assert.equal(encoded.contentType, PACKET_WITH_ATTACHMENTS_CONTENT_TYPE);
    assert.deepEqual(encoded.attachments, [300, 1, 3, 1]);
    // The raw bytes follow the JSON: the body is barely larger than the image itself.
    assert.ok(encoded.body.length < 300 + 200, `body of ${encoded.body.length} bytes`);
    assert.ok(params.image === image && Buffer.isBuffer(params.frames[0]), 'the caller’s params are left as they were');

    const decoded = decodeRequest(encoded.body, headersOf(encoded))!;
    const data = decoded.data as { image: Buffer; frames: Buffer[]; name: string; mixed: unknown[] };
    assert.deepEqual(data.image, image);
    assert.ok(Buffer.isBuffer(data.image));
    assert.deepEqual(data.frames.map((f) => [...f]), [[97], [1, 2, 3]]);
    assert.deepEqual([data.name, data.mixed[0], data.mixed[1]], ['x', 'text', Buffer.from('b')]);
  });

  it('carries bytes in a reply’s result', () => {
    const encoded = encodePacket({ id: 'c3', response: { thumbnail: Buffer.from([9, 8, 7]), width: 3 }, isDisposed: true });
    const reply = decodeReply(encoded.body, headersOf(encoded))!;
    assert.deepEqual(reply.response, { thumbnail: Buffer.from([9, 8, 7]), width: 3 });
  });

  it('refuses a body that does not match its attachments header', () => {
    const encoded = encodePacket({ pattern: 'svc.m.v1', data: { a: Buffer.from('abc'), b: Buffer.from('de') }, id: 'c4' });
    const cases: Array<[string, unknown]> = [
      ['longer than the body', [3, encoded.body.length]],
      ['not lengths', ['3', 2]],
      ['negative', [-1, 6]],
      ['empty', []],
      ['a part nobody claims', [3, 2, 0]],
      ['one part fewer than placeholders', [5]],
    ];
    for (const [name, header] of cases) assert.equal(decodeRequest(encoded.body, { [ATTACHMENTS_HEADER]: header }), undefined, name);
    // Without the header the body is not JSON: refused too (dead-lettered by the server).
    assert.equal(decodeRequest(encoded.body), undefined);
  });

  it('leaves placeholder-shaped JSON alone in a message without attachments', () => {
    const body = Buffer.from(JSON.stringify({ pattern: 'svc.m.v1', data: { literal: { $attachment: 0 } } }));
    assert.deepEqual(decodeRequest(body)!.data, { literal: { $attachment: 0 } });
  });
});

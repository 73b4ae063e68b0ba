import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, JsonLogger, normaliseRequestId, requestContext } from '../src';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line)) };
}

describe('structured logging', () => {
  it('writes JSON lines with service, instance and the current request id', () => {
    const out = capture();
    const logger = new JsonLogger(createLogger({ service: 'base', instanceId: 'base-1', level: 'info' }, out.stream));
    requestContext.run({ requestId: 'req-123' }, () => logger.log('inside', 'ChatService'));
    logger.warn('outside');
    const [inside, outside] = out.lines();
    assert.equal(inside.requestId, 'req-123');
    assert.equal(inside.service, 'base');
    assert.equal(inside.instance, 'base-1');
    assert.equal(inside.context, 'ChatService');
    assert.equal(inside.msg, 'inside');
    assert.equal(outside.requestId, undefined);
    assert.equal(outside.level, 'warn');
  });

  it('keeps the request id across awaits', async () => {
    const seen = await requestContext.run({ requestId: 'abc' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return requestContext.requestId();
    });
    assert.equal(seen, 'abc');
  });

  it('writes info and error logs to files when a log directory is set', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fleet-logs-'));
    try {
      const out = capture();
      const logger = new JsonLogger(createLogger({ service: 'base', instanceId: 'b1', level: 'info', dir }, out.stream));
      logger.log('hello');
      logger.error('boom', 'stack here', 'Ctx');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const files = readdirSync(dir).sort();
      assert.deepEqual(files, ['base-b1.error.log', 'base-b1.info.log']);
      assert.match(readFileSync(path.join(dir, 'base-b1.info.log'), 'utf8'), /hello/);
      const errors = readFileSync(path.join(dir, 'base-b1.error.log'), 'utf8');
      assert.match(errors, /boom/);
      assert.doesNotMatch(errors, /hello/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adopts sane request ids and replaces hostile ones', () => {
    assert.equal(normaliseRequestId('abc-123'), 'abc-123');
    assert.notEqual(normaliseRequestId('a\r\nSet-Cookie: x'), 'a\r\nSet-Cookie: x');
    assert.match(normaliseRequestId(undefined), /^[0-9a-f-]{36}$/);
    assert.match(normaliseRequestId('x'.repeat(500)), /^[0-9a-f-]{36}$/);
  });
});

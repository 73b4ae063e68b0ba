import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, TranslatorEnvelope, TranslatorJobView } from '@fleet/contracts';
import { createTestDatabase, createTestRealm, createTestVhost, freeTcpPort, ServiceProcess, signTestToken, spawnServiceProcess, TestDatabase, TestRealm, TestVhost } from '@fleet/testing';
import { translatorDataSourceOptions } from '../src/database/translator.datasource';

/** Every translator route answers `{ status, message, data | error }`, errors with the request id. */
describe('translator envelope', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let realm: TestRealm;
  let translator: ServiceProcess;
  let storage: string;
  let operator: string;

  const call = async (method: string, urlPath: string, options: { token?: string | null; body?: unknown } = {}) => {
    const token = options.token === undefined ? operator : options.token;
    const response = await fetch(`${translator.url}${urlPath}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), 'x-request-id': `envelope-${randomUUID()}` },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    return { status: response.status, requestId: response.headers.get('x-request-id'), body: (await response.json()) as TranslatorEnvelope<unknown> };
  };

  before(async () => {
    realm = createTestRealm();
    [db, vhost] = await Promise.all([createTestDatabase('translator', 'svc_translator', translatorDataSourceOptions), createTestVhost('fleet_test_translator_envelope')]);
    storage = mkdtempSync(path.join(os.tmpdir(), 'translator-envelope-'));
    translator = await spawnServiceProcess({
      main: path.resolve(__dirname, '../src/main.js'),
      port: await freeTcpPort(),
      databaseUrl: db.url,
      realm,
      instanceId: 'translator-envelope',
      env: { RABBITMQ_URL: vhost.url, TRANSLATOR_STORAGE_DIR: storage },
      startTimeoutMs: 60_000,
    });
    operator = await signTestToken(realm, { sub: 'operator-1', roles: ['operator'] });
  });
  after(async () => {
    await translator?.stop();
    await db?.drop();
    await vhost?.drop();
    if (storage) rmSync(storage, { recursive: true, force: true });
  });

  it('wraps a list page in data', async () => {
    const { status, body } = await call('GET', '/jobs?limit=5');
    assert.equal(status, 200);
    assert.deepEqual(body, { status: 'success', message: 'Jobs', data: { items: [], total: 0, limit: 5, offset: 0 } satisfies Page<TranslatorJobView> });
  });

  it('answers guards, validation and missing resources in the envelope, with the request id', async () => {
    const cases = [
      { name: 'no token', request: call('GET', '/jobs', { token: null }), status: 401 },
      { name: 'not an operator', request: call('GET', '/jobs', { token: await signTestToken(realm, { sub: 'drone-1', roles: ['drone'] }) }), status: 403 },
      { name: 'bad query', request: call('GET', '/jobs?limit=0'), status: 400 },
      { name: 'bad body', request: call('POST', '/jobs', { body: { file_id: 'nope', source_language: 'english', target_languages: [] } }), status: 400 },
      { name: 'unknown job', request: call('GET', `/jobs/${randomUUID()}`), status: 404 },
    ];
    for (const { name, request, status } of cases) {
      const response = await request;
      assert.equal(response.status, status, `${name}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.status, 'error', name);
      assert.equal(typeof response.body.message, 'string', name);
      assert.equal(typeof response.body.error, 'string', name);
      assert.equal(response.body.data, undefined, name);
      assert.equal(response.body.request_id, response.requestId, `${name}: the request id of the answer`);
    }
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, createTestRealm, signTestToken, TestDatabase, TestRealm } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { freePort } from './support/free-port';
import { BaseProcess, spawnBase } from './support/spawn-base';

/** Routes anyone may call; every other route must refuse a caller without a token or a role. */
const PUBLIC_ROUTES = new Set(['GET /health', 'GET /metrics']);

/**
 * Walks every HTTP route base registers (as Nest logs them at boot: "Mapped {/path, METHOD}
 * route"), so a route added later without a guard fails here without anyone listing it.
 */
describe('base route guards', () => {
  let realm: TestRealm;
  let db: TestDatabase;
  let base: BaseProcess;

  before(async () => {
    realm = createTestRealm();
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
    base = await spawnBase({ port: await freePort(), databaseUrl: db.url, realm, instanceId: 'guards', bootTimeoutMs: 60_000 });
  });
  after(async () => {
    await base?.stop();
    await db?.drop();
  });

  function routes(): Array<{ method: string; path: string }> {
    return base.logs
      .map((line) => /^Mapped \{(\S+), (\w+)\} route$/.exec(String(line.msg ?? '')))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ method: match[2], path: match[1] }));
  }

  it('answers 401 without a token and 403 with a token that has no role, on every non-public route', async () => {
    const all = routes();
    assert.ok(all.length >= 20, `found only ${all.length} routes in the boot log`);
    const noRole = await signTestToken(realm, { sub: 'nobody', roles: [] });
    const checked: string[] = [];
    for (const { method, path } of all) {
      const key = `${method} ${path}`;
      if (PUBLIC_ROUTES.has(key)) continue;
      const url = `${base.url}${path.replace(/:\w+/g, randomUUID())}`;
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
      const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
      const anonymous = await fetch(url, { method, headers, body });
      assert.equal(anonymous.status, 401, `${key} without a token`);
      const roleless = await fetch(url, { method, headers: { ...headers, authorization: `Bearer ${noRole}` }, body });
      assert.equal(roleless.status, 403, `${key} with a token without roles`);
      checked.push(key);
    }
    for (const key of ['POST /robot/tickets/check', 'POST /admin/tickets/import', 'GET /admin/ticket-checks', 'POST /robot/heartbeat', 'GET /robot/users/:id']) {
      assert.ok(checked.includes(key), `${key} was walked`);
    }
  });

  it('keeps the public routes public', async () => {
    for (const key of PUBLIC_ROUTES) {
      const [method, path] = key.split(' ');
      const response = await fetch(`${base.url}${path}`, { method });
      assert.ok(response.status < 400, `${key}: ${response.status}`);
    }
  });
});

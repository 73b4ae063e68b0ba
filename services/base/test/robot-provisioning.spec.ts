import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, createTestRealm, signTestToken, TestDatabase, TestRealm } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { freePort } from './support/free-port';
import { BaseProcess, spawnBase } from './support/spawn-base';

/**
 * Registration makes the robot's identity client first-class: when the identity provider cannot
 * make it (here: nothing listens where KEYCLOAK_URL points), the operator gets a 503 that says so
 * and no half-registered robot is left behind. (The success path runs against the real local
 * provider in e2e/test/launcher.e2e-spec.ts.)
 */
describe('robot registration with an unreachable identity provider', () => {
  let realm: TestRealm;
  let db: TestDatabase;
  let base: BaseProcess;

  before(async () => {
    // The realm's URL (token issuer and Admin REST API) is a port nothing listens on.
    realm = createTestRealm(`http://127.0.0.1:${await freePort()}/keycloak`);
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
    base = await spawnBase({
      port: await freePort(),
      databaseUrl: db.url,
      realm,
      instanceId: 'provisioning',
      bootTimeoutMs: 60_000,
      env: { KEYCLOAK_PROVISIONER_CLIENT_ID: 'fleet-provisioner', KEYCLOAK_PROVISIONER_SECRET: 'any' },
    });
  });
  after(async () => {
    await base?.stop();
    await db?.drop();
  });

  it('answers 503 naming the identity provider, and keeps no robot', async () => {
    const operator = await signTestToken(realm, { sub: 'op', roles: ['operator'] });
    const clientId = `robot-${randomUUID().slice(0, 8)}`;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${base.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${operator}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));
    const registered = await call('POST', '/admin/robots', { name: clientId, station: 'Central', keycloak_client_id: clientId });
    assert.equal(registered.status, 503, JSON.stringify(registered.body));
    assert.match(String(registered.body.message), /identity provider/);
    assert.ok(registered.body.request_id);
    const listed = await call('GET', '/admin/robots?limit=500');
    assert.equal((listed.body.items as Array<{ keycloak_client_id: string }>).some((robot) => robot.keycloak_client_id === clientId), false, 'the registration was undone');
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, createTestRealm, createTestVhost, TestDatabase, TestRealm, TestVhost } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { freePort } from './support/free-port';
import { BaseProcess, spawnBase } from './support/spawn-base';
import { Caller, StationApi } from './support/station-api';

/**
 * The boarding decision log (`GET /admin/boarding-decisions`) on a real base process: refused
 * boardings (an unknown ticket needs no face service) are listed newest first with the robot's
 * name, and a row altered in the database reads `signature_valid: false`.
 */
describe('base boarding decision log', () => {
  let realm: TestRealm;
  let db: TestDatabase;
  let vhost: TestVhost;
  let base: BaseProcess;
  let api: StationApi;
  const run = randomUUID().slice(0, 8);
  const robot: Caller = { roles: ['robot'], clientId: `robot-${run}-gate` };

  async function board(code: string): Promise<string> {
    const form = new FormData();
    form.set('code', code);
    form.set('nonce', randomUUID());
    form.set('image', new Blob([Buffer.from('not a real photo')], { type: 'image/jpeg' }), 'frame.jpg');
    const response = await fetch(`${base.url}/robot/boarding`, { method: 'POST', headers: { authorization: `Bearer ${await api.token(robot)}` }, body: form });
    const body = (await response.json()) as { decision_id: string; outcome: string };
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.outcome, 'ticket_refused');
    return body.decision_id;
  }

  before(async () => {
    realm = createTestRealm();
    [db, vhost] = await Promise.all([createTestDatabase('base', 'svc_base', baseDataSourceOptions), createTestVhost('fleet_test_base_boarding_log')]);
    base = await spawnBase({ port: await freePort(), databaseUrl: db.url, realm, instanceId: 'base-boarding-log', env: { RABBITMQ_URL: vhost.url } });
    api = new StationApi(base.url, realm);
    const created = await api.request('POST', '/admin/robots', { body: { name: `gate-${run}`, station: 'Central', keycloak_client_id: robot.clientId } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });
  after(async () => {
    await base?.stop();
    await db?.drop();
    await vhost?.drop();
  });

  it('lists decisions newest first with the robot name, and shows an altered row as invalid', async () => {
    const first = await board(`NOPE-${run}-1`);
    const second = await board(`NOPE-${run}-2`);
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      await sql.query(`UPDATE base.boarding_decision SET outcome = 'boarded' WHERE id = $1`, [first]);
    } finally {
      await sql.end();
    }

    const page = await api.request('GET', '/admin/boarding-decisions?limit=10');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(page.body.total, 2);
    assert.deepEqual(page.body.items.map((item: { id: string }) => item.id), [second, first]);
    const [newest, altered] = page.body.items;
    assert.equal(newest.signature_valid, true);
    assert.equal(newest.robot_name, `gate-${run}`);
    assert.match(newest.signature, /^v1=[0-9a-f]{64}$/);
    assert.equal(altered.signature_valid, false);
    assert.equal((await api.request('GET', `/admin/boarding-decisions/${first}`)).body.signature_valid, false);
  });

  it('filters by ticket code and outcome, and refuses an unknown outcome', async () => {
    const byCode = await api.request('GET', `/admin/boarding-decisions?ticket_code=NOPE-${run}-2`);
    assert.deepEqual(byCode.body.items.map((item: { ticket_code: string }) => item.ticket_code), [`NOPE-${run}-2`]);
    const refused = await api.request('GET', '/admin/boarding-decisions?outcome=ticket_refused');
    assert.equal(refused.body.total, 1);
    const bad = await api.request('GET', '/admin/boarding-decisions?outcome=maybe');
    assert.equal(bad.status, 400);
    assert.ok(bad.body.details?.outcome, JSON.stringify(bad.body));
    assert.equal((await api.request('GET', '/admin/boarding-decisions', { as: robot })).status, 403);
  });
});

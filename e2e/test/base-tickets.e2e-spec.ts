import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TicketCheckResponse, TicketDecision, TicketImportReport } from '@fleet/contracts';
import { signTestToken } from '@fleet/testing';
import { startTestFleet, TestFleet } from '../src';

/**
 * The robot's ticket flow through nginx, as the station uses it: an operator imports tickets
 * and registers robots, robots check tickets (double scan, two robots at once, a retried scan),
 * the operator cancels a ticket and reviews the recorded decisions.
 */
describe('base tickets through the gateway', () => {
  let fleet: TestFleet;
  let operator: string;
  const run = randomUUID().slice(0, 8);
  const robotToken = (clientId: string) => signTestToken(fleet.realm, { sub: `sa-${clientId}`, roles: ['robot'], extraClaims: { azp: clientId } });

  async function call<T>(method: string, path: string, token: string | null, body?: unknown, contentType = 'application/json'): Promise<{ status: number; headers: Headers; body: T }> {
    const response = await fleet.request(`/base_api${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as T };
  }

  const check = (token: string, code: string, nonce: string = randomUUID(), direction = 'entry') =>
    call<TicketCheckResponse & { message?: string }>('POST', '/robot/tickets/check', token, { code, nonce, direction });

  before(async () => {
    fleet = await startTestFleet();
    operator = await fleet.token('operator');
    for (const name of ['north', 'south']) {
      const created = await call('POST', '/admin/robots', operator, { name: `${name}-${run}`, station: 'Central', keycloak_client_id: `e2e-${name}-${run}` });
      assert.equal(created.status, 201);
    }
  });
  after(async () => {
    await fleet?.stop();
  });

  test('an operator imports a CSV; the report names the rejected rows', async () => {
    const from = new Date(Date.now() - 3600_000).toISOString();
    const until = new Date(Date.now() + 3600_000).toISOString();
    const rows = Array.from({ length: 20 }, (_, i) => `E2E-${run}-${i},Passenger ${i},IC-7,${i % 5},${i}A,Central,${from},${until}`);
    const csv = ['code,passenger_name,train,car,seat,departure_station,valid_from,valid_until', ...rows, `E2E-${run}-0,Again,IC-7,1,1A,Central,${from},${until}`, `?,Bad,IC-7,1,1A,Central,${until},${from}`].join('\n');
    const report = await call<TicketImportReport>('POST', '/admin/tickets/import', operator, csv, 'text/csv');
    assert.equal(report.status, 200);
    assert.equal(report.body.created, 20);
    assert.deepEqual(report.body.rejected.map((r) => r.row), [21, 22]);
    assert.equal((await call('GET', '/admin/tickets/import', null)).status, 401);
  });

  test('a double scan: valid, then already_used', async () => {
    const north = await robotToken(`e2e-north-${run}`);
    const first = await check(north, `E2E-${run}-1`);
    assert.equal(first.status, 200);
    assert.equal(first.body.decision, TicketDecision.Valid);
    assert.equal((await check(north, `E2E-${run}-1`)).body.decision, TicketDecision.AlreadyUsed);
  });

  test('two robots scanning the same tickets at the same moment: one valid, one already_used each', async () => {
    const [north, south] = await Promise.all([robotToken(`e2e-north-${run}`), robotToken(`e2e-south-${run}`)]);
    const codes = Array.from({ length: 8 }, (_, i) => `E2E-${run}-${i + 2}`);
    const results = await Promise.all(codes.flatMap((code) => [check(north, code), check(south, code)]));
    assert.ok(results.every((r) => r.status === 200));
    for (let i = 0; i < codes.length; i++) {
      assert.deepEqual([results[2 * i].body.decision, results[2 * i + 1].body.decision].sort(), [TicketDecision.AlreadyUsed, TicketDecision.Valid]);
    }
    // Both base instances served checks (nginx spreads them).
    const served = new Set((await fleet.accessLogLines((line) => String(line.path).endsWith('/tickets/check'), 2 * codes.length)).map((line) => line.upstream));
    assert.ok(served.size >= 2, `checks were served by ${[...served].join(', ')}`);
  });

  test('a retried scan (same nonce) returns the same decision and consumes nothing more', async () => {
    const south = await robotToken(`e2e-south-${run}`);
    const nonce = `retry-${randomUUID()}`;
    const first = await check(south, `E2E-${run}-12`, nonce);
    const retry = await check(south, `E2E-${run}-12`, nonce);
    assert.equal(first.body.decision, TicketDecision.Valid);
    assert.deepEqual({ ...retry.body, replayed: false }, first.body);
    assert.equal(retry.body.replayed, true);
  });

  test('a cancelled ticket is refused at once, and the operator sees every decision', async () => {
    const north = await robotToken(`e2e-north-${run}`);
    const listed = await call<{ items: Array<{ id: string }> }>('GET', `/admin/tickets?code=E2E-${run}-15`, operator);
    assert.equal((await check(north, `E2E-${run}-15`, randomUUID(), 'exit')).body.decision, TicketDecision.Valid);
    assert.equal((await call('POST', `/admin/tickets/${listed.body.items[0].id}/cancel`, operator, { reason: 'refund' })).status, 200);
    const refused = await check(north, `E2E-${run}-15`);
    assert.equal(refused.body.decision, TicketDecision.Cancelled);
    const decisions = await call<{ total: number }>('GET', `/admin/ticket-checks?ticket_code=E2E-${run}-15`, operator);
    assert.equal(decisions.body.total, 2);
    assert.equal((await call('GET', '/admin/ticket-checks', north)).status, 403);
  });

  test('a robot that floods its routes gets 429 with Retry-After', async () => {
    const south = await robotToken(`e2e-south-${run}`);
    const burst = await Promise.all(Array.from({ length: 120 }, () => check(south, `E2E-${run}-16`, randomUUID(), 'exit')));
    const limited = burst.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, 'some requests were limited');
    assert.ok(limited.every((r) => Number(r.headers.get('retry-after')) >= 1));
    assert.ok(burst.every((r) => r.status === 200 || r.status === 429));
  });
});

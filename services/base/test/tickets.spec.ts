import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { connect as amqpConnect, ChannelModel, Channel } from 'amqplib';
import { EngineerChangedEvent, EngineerCreatedEvent, EngineerDeactivatedEvent, TicketCheckResponse, TicketDecision } from '@fleet/contracts';
import { assertEventExchanges, decodeRequest, EVENTS_EXCHANGE, eventQueueForService, workQueueOptions } from '@fleet/messaging';
import { createTestDatabase, createTestRealm, TestDatabase, TestRealm } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { freePort } from './support/free-port';
import { BaseProcess, spawnBase } from './support/spawn-base';
import { createTestVhost, TestVhost } from './support/rabbit-vhost';
import { Caller, LooseJson, StationApi, ticket } from './support/station-api';

/**
 * Tickets, checks, robots and the rate limit on real base processes: A and B share one fresh
 * database and the machine's Redis (so "two robots at the same moment" really are two
 * processes racing in Postgres); C runs with a low robot rate limit.
 */
describe('base tickets and robots', () => {
  let realm: TestRealm;
  let db: TestDatabase;
  let a: BaseProcess;
  let b: BaseProcess;
  let c: BaseProcess;
  let apiA: StationApi;
  let apiB: StationApi;
  let apiC: StationApi;
  let redis: Redis;
  let vhost: TestVhost;
  let amqp: ChannelModel;
  let channel: Channel;
  // This test plays a service that mirrors engineers: its own queue, bound to base's engineer events.
  const listenerQueue = eventQueueForService('engineer_mirror_spec');
  const run = randomUUID().slice(0, 8);
  const code = (name: string) => `T-${run}-${name}`;
  const robot = (name: string): Caller => ({ roles: ['robot'], clientId: `robot-${run}-${name}` });
  const robotIds = new Map<string, string>();

  async function registerRobot(name: string, assignedTrain: string | null = null): Promise<Caller> {
    const caller = robot(name);
    const created = await apiA.request('POST', '/admin/robots', {
      body: { name: `${name}-${run}`, station: 'Central', keycloak_client_id: caller.clientId, ...(assignedTrain ? { assigned_train: assignedTrain } : {}) },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    robotIds.set(name, created.body.id);
    return caller;
  }

  async function createTicket(name: string, overrides: Record<string, unknown> = {}, fromMin?: number, untilMin?: number): Promise<string> {
    const created = await apiA.request('POST', '/admin/tickets', { body: ticket(code(name), overrides, fromMin, untilMin) });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.id;
  }

  function check(api: StationApi, as: Caller, ticketCode: string, options: { nonce?: string; direction?: 'entry' | 'exit' } = {}) {
    return api.request<TicketCheckResponse & { message?: string }>('POST', '/robot/tickets/check', {
      as,
      body: { code: ticketCode, nonce: options.nonce ?? randomUUID(), direction: options.direction ?? 'entry' },
    });
  }

  /** The next `count` messages on the vision queue of our vhost, in order. */
  async function receive(count: number, timeoutMs = 15_000): Promise<Array<{ pattern: string; data: LooseJson; messageId: string }>> {
    const received: Array<{ pattern: string; data: LooseJson; messageId: string }> = [];
    const deadline = Date.now() + timeoutMs;
    while (received.length < count && Date.now() < deadline) {
      const message = await channel.get(listenerQueue, { noAck: true });
      if (!message) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      const packet = decodeRequest(message.content)!;
      received.push({ pattern: packet.pattern, data: packet.data as LooseJson, messageId: message.properties.messageId });
    }
    assert.equal(received.length, count, `received ${received.length} of ${count} events`);
    return received;
  }

  before(async () => {
    realm = createTestRealm();
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
    // In a vhost of our own, so only this test's base instances publish engineer events into it.
    vhost = createTestVhost();
    amqp = await amqpConnect(vhost.url);
    channel = await amqp.createChannel();
    await assertEventExchanges(channel);
    await channel.assertQueue(listenerQueue, workQueueOptions(listenerQueue, 5));
    for (const event of [EngineerCreatedEvent, EngineerChangedEvent, EngineerDeactivatedEvent]) await channel.bindQueue(listenerQueue, EVENTS_EXCHANGE, event.name);
    const env = { RABBITMQ_URL: vhost.url };
    const [portA, portB, portC] = [await freePort(), await freePort(), await freePort()];
    [a, b, c] = await Promise.all([
      // A busy shared machine can take a while to boot three Nest processes at once.
      spawnBase({ port: portA, databaseUrl: db.url, realm, instanceId: 'tickets-a', bootTimeoutMs: 60_000, env }),
      spawnBase({ port: portB, databaseUrl: db.url, realm, instanceId: 'tickets-b', bootTimeoutMs: 60_000, env }),
      spawnBase({ port: portC, databaseUrl: db.url, realm, instanceId: 'tickets-c', bootTimeoutMs: 60_000, env: { ...env, ROBOT_RATE_LIMIT_PER_SECOND: '5' } }),
    ]);
    [apiA, apiB, apiC] = [new StationApi(a.url, realm), new StationApi(b.url, realm), new StationApi(c.url, realm)];
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: false });
  });

  after(async () => {
    redis?.disconnect();
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
    await amqp?.close();
    vhost?.drop();
    await db?.drop();
  });

  describe('access', () => {
    const routes: Array<[string, string, string[]]> = [
      ['POST', '/admin/tickets', ['robot', 'drone']],
      ['POST', '/admin/tickets/import', ['robot']],
      ['GET', '/admin/tickets', ['robot', 'drone']],
      ['GET', `/admin/tickets/${randomUUID()}`, ['robot']],
      ['POST', `/admin/tickets/${randomUUID()}/cancel`, ['robot']],
      ['GET', '/admin/ticket-checks', ['robot']],
      ['POST', '/admin/robots', ['robot']],
      ['GET', '/admin/robots', ['robot', 'drone']],
      ['PATCH', `/admin/robots/${randomUUID()}`, ['robot']],
      ['POST', '/admin/engineers', ['robot']],
      ['GET', '/admin/engineers', ['robot']],
      ['PATCH', `/admin/engineers/${randomUUID()}`, ['robot']],
      ['POST', `/admin/engineers/${randomUUID()}/deactivate`, ['robot']],
      ['POST', '/robot/tickets/check', ['operator', 'admin', 'drone']],
      ['POST', '/robot/heartbeat', ['operator', 'drone']],
      ['GET', `/robot/users/${randomUUID()}`, ['operator', 'drone']],
    ];

    it('answers 401 without a token and 403 with a token of the wrong role, on every route', async () => {
      for (const [method, path, wrongRoles] of routes) {
        const body = method === 'GET' ? undefined : {};
        const anonymous = await apiA.request(method, path, { as: null, body });
        assert.equal(anonymous.status, 401, `${method} ${path} without a token`);
        for (const role of wrongRoles) {
          const wrong = await apiA.request(method, path, { as: { roles: [role], sub: `${role}-x` }, body });
          assert.equal(wrong.status, 403, `${method} ${path} as ${role}`);
        }
      }
    });

    it('refuses a robot token whose client is not registered, or whose robot is deactivated', async () => {
      const stranger = await check(apiA, robot('stranger'), code('nothing'));
      assert.equal(stranger.status, 403);
      assert.match(stranger.body.message!, /No robot is registered/);
      const caller = await registerRobot('retired');
      const updated = await apiA.request('PATCH', `/admin/robots/${robotIds.get('retired')}`, { body: { active: false } });
      assert.equal(updated.status, 200);
      // A fresh instance's cache has not seen the robot yet (each instance keeps lookups 5 s).
      const refused = await check(apiC, caller, code('nothing'));
      assert.equal(refused.status, 403);
      assert.match(refused.body.message!, /deactivated/);
    });
  });

  describe('tickets admin', () => {
    it('creates a ticket, refuses a duplicate code (409) and bad input (400 naming the fields)', async () => {
      const id = await createTicket('admin-1');
      const got = await apiB.request('GET', `/admin/tickets/${id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.code, code('admin-1'));
      assert.equal(got.body.status, 'active');
      const duplicate = await apiA.request('POST', '/admin/tickets', { body: ticket(code('admin-1')) });
      assert.equal(duplicate.status, 409);
      const bad = await apiA.request('POST', '/admin/tickets', { body: { code: 'x', train: '', valid_from: 'yesterday', extra: 1 } });
      assert.equal(bad.status, 400);
      const text = JSON.stringify(bad.body.message);
      for (const field of ['code', 'passenger_name', 'train', 'valid_from', 'valid_until', 'extra']) assert.match(text, new RegExp(field), field);
      const backwards = await apiA.request('POST', '/admin/tickets', { body: ticket(code('backwards'), {}, 60, 30) });
      assert.equal(backwards.status, 400);
      assert.match(backwards.body.message!, /valid_until must be after valid_from/);
      assert.equal((await apiA.request('GET', `/admin/tickets/${randomUUID()}`)).status, 404);
      assert.equal((await apiA.request('GET', '/admin/tickets/not-a-uuid')).status, 400);
    });

    it('imports CSV with a per-row report: bad rows rejected with every reason, good rows stored', async () => {
      await createTicket('csv-taken');
      const from = new Date(Date.now() - 3600_000).toISOString();
      const until = new Date(Date.now() + 3600_000).toISOString();
      const csv = [
        'code,passenger_name,train,car,seat,departure_station,valid_from,valid_until',
        `${code('csv-1')},Grace Hopper,IC-101,1,1A,Central,${from},${until}`,
        `${code('csv-2')},"Hopper, Grace",IC-202,2,2B,North,${from},${until}`,
        `${code('csv-1')},Twice,IC-101,1,1B,Central,${from},${until}`,
        `${code('csv-taken')},Taken,IC-101,1,1C,Central,${from},${until}`,
        `bad code!,Nobody,IC-101,1,1D,Central,not-a-date,${until}`,
        `${code('csv-short')},Short,IC-101`,
        `${code('csv-backwards')},Back,IC-101,1,1E,Central,${until},${from}`,
        `${code('csv-3')},Alan Turing,IC-101,3,3C,Central,${from},${until}`,
      ].join('\n');
      const report = await apiA.request('POST', '/admin/tickets/import', { csv });
      assert.equal(report.status, 200, JSON.stringify(report.body));
      assert.equal(report.body.received, 8);
      assert.equal(report.body.created, 3);
      const rejected = report.body.rejected as Array<{ row: number; code: string | null; errors: string[] }>;
      assert.deepEqual(rejected.map((r) => r.row), [3, 4, 5, 6, 7]);
      assert.match(rejected[0].errors.join(), /appears already in row 1/);
      assert.match(rejected[1].errors.join(), /exists already/);
      assert.match(rejected[2].errors.join(), /code must be/);
      assert.match(rejected[2].errors.join(), /valid_from must be an ISO 8601/);
      assert.match(rejected[3].errors.join(), /row has 3 fields, the header has 8/);
      assert.match(rejected[4].errors.join(), /valid_until must be after valid_from/);
      const stored = await apiB.request('GET', `/admin/tickets?code=${code('csv-2')}`);
      assert.equal(stored.body.total, 1);
      assert.equal(stored.body.items[0].passenger_name, 'Hopper, Grace');
    });

    it('imports JSON (array or { tickets }) and refuses what is not a ticket list', async () => {
      const report = await apiA.request('POST', '/admin/tickets/import', { body: { tickets: [ticket(code('json-1')), { code: code('json-2') }, 'nope'] } });
      assert.equal(report.status, 200);
      assert.equal(report.body.created, 1);
      assert.deepEqual(report.body.rejected.map((r: { row: number }) => r.row), [2, 3]);
      assert.match(report.body.rejected[0].errors.join(), /passenger_name/);
      assert.equal((await apiA.request('POST', '/admin/tickets/import', { body: { nope: true } })).status, 400);
      assert.equal((await apiA.request('POST', '/admin/tickets/import', { csv: 'code,train\nx,y' })).status, 400);
      assert.equal((await apiA.request('POST', '/admin/tickets/import', { body: [] })).status, 400);
      const plain = await apiA.request('POST', '/admin/tickets/import', { headers: { 'content-type': 'text/plain' }, body: undefined });
      assert.equal(plain.status, 415);
    });

    it('imports a JSON list of 5,000 tickets (about 1 MB) in one request', async () => {
      const tickets = Array.from({ length: 5000 }, (_, i) => ticket(code(`bulk-${i}`), { train: `BULK-${run}` }));
      const report = await apiA.request('POST', '/admin/tickets/import', { body: tickets });
      assert.equal(report.status, 200, JSON.stringify(report.body).slice(0, 300));
      assert.deepEqual({ ...report.body }, { received: 5000, created: 5000, rejected: [] });
      assert.equal((await apiB.request('GET', `/admin/tickets?train=BULK-${run}&limit=1`)).body.total, 5000);
    });

    it('lists with filters and paging', async () => {
      const tickets = Array.from({ length: 7 }, (_, i) => ticket(code(`page-${i}`), { train: `PG-${run}`, passenger_name: i % 2 ? 'Odd Person' : 'Even Person' }));
      assert.equal((await apiA.request('POST', '/admin/tickets/import', { body: tickets })).body.created, 7);
      const first = await apiB.request('GET', `/admin/tickets?train=PG-${run}&limit=3`);
      assert.equal(first.status, 200);
      assert.equal(first.body.total, 7);
      assert.equal(first.body.items.length, 3);
      const last = await apiB.request('GET', `/admin/tickets?train=PG-${run}&limit=3&offset=6`);
      assert.equal(last.body.items.length, 1);
      const pages = [...first.body.items, ...(await apiB.request('GET', `/admin/tickets?train=PG-${run}&limit=3&offset=3`)).body.items, ...last.body.items];
      assert.equal(new Set(pages.map((t: { id: string }) => t.id)).size, 7);
      const odd = await apiB.request('GET', `/admin/tickets?train=PG-${run}&passenger=odd`);
      assert.equal(odd.body.total, 3);
      assert.equal((await apiB.request('GET', `/admin/tickets?train=PG-${run}&passenger=${encodeURIComponent('%')}`)).body.total, 0, 'LIKE wildcards are literal');
      const validNow = await apiB.request('GET', `/admin/tickets?train=PG-${run}&status=active&valid_at=${new Date().toISOString()}`);
      assert.equal(validNow.body.total, 7);
      const later = await apiB.request('GET', `/admin/tickets?train=PG-${run}&valid_at=${new Date(Date.now() + 86400_000).toISOString()}`);
      assert.equal(later.body.total, 0);
      for (const query of ['limit=0', 'limit=501', 'offset=-1', 'status=lost', 'valid_at=soon']) {
        assert.equal((await apiB.request('GET', `/admin/tickets?${query}`)).status, 400, query);
      }
    });
  });

  describe('ticket check', () => {
    let gate: Caller;
    let gate2: Caller;

    before(async () => {
      gate = await registerRobot('gate');
      gate2 = await registerRobot('gate2');
    });

    it('decides valid, already_used, expired, not_yet_valid, cancelled, unknown and wrong_train with reasons', async () => {
      await createTicket('d-valid');
      await createTicket('d-expired', {}, -120, -60);
      await createTicket('d-future', {}, 60, 120);
      const cancelId = await createTicket('d-cancel');
      await createTicket('d-other-train', { train: 'IC-999' });
      assert.equal((await apiA.request('POST', `/admin/tickets/${cancelId}/cancel`, { body: { reason: 'refunded' } })).status, 200);
      const train = await registerRobot('train-bound', 'IC-101');

      const cases: Array<[Caller, string, TicketDecision, RegExp]> = [
        [gate, code('d-valid'), TicketDecision.Valid, /car 7, seat 42A/],
        [gate, code('d-valid'), TicketDecision.AlreadyUsed, /already used/],
        [gate, code('d-expired'), TicketDecision.Expired, /expired/],
        [gate, code('d-future'), TicketDecision.NotYetValid, /valid from/],
        [gate, code('d-cancel'), TicketDecision.Cancelled, /cancelled/],
        [gate, code('d-missing'), TicketDecision.Unknown, /No ticket/],
        [train, code('d-other-train'), TicketDecision.WrongTrain, /train IC-999.*serves train IC-101/],
      ];
      for (const [as, ticketCode, decision, reason] of cases) {
        const result = await check(apiA, as, ticketCode);
        assert.equal(result.status, 200, JSON.stringify(result.body));
        assert.equal(result.body.decision, decision, ticketCode);
        assert.match(result.body.reason, reason);
        assert.equal(result.body.replayed, false);
      }
      const shown = (await check(apiB, gate, code('d-valid'), { direction: 'exit' })).body;
      assert.equal(shown.decision, TicketDecision.Valid, 'a used ticket lets its passenger out');
      assert.deepEqual(Object.keys(shown.ticket!).sort(), ['car', 'code', 'passenger_name', 'seat', 'train']);
      assert.equal((await check(apiB, gate, code('d-future'), { direction: 'exit' })).body.decision, TicketDecision.NotYetValid);
      // The wrong-train scan consumed nothing: another robot still gets it in.
      assert.equal((await check(apiA, gate, code('d-other-train'))).body.decision, TicketDecision.Valid);
    });

    it('validates the body: 400 for a bad nonce, direction or missing code', async () => {
      for (const body of [{ code: 'x', nonce: 'short', direction: 'entry' }, { code: 'x', nonce: randomUUID(), direction: 'sideways' }, { nonce: randomUUID(), direction: 'entry' }]) {
        const result = await apiA.request('POST', '/robot/tickets/check', { as: gate, body });
        assert.equal(result.status, 400, JSON.stringify(body));
      }
    });

    it('consumes a ticket exactly once when two robots on two instances scan it at the same moment', async () => {
      const codes = Array.from({ length: 12 }, (_, i) => code(`race-${i}`));
      await apiA.request('POST', '/admin/tickets/import', { body: codes.map((c) => ticket(c)) });
      const results = await Promise.all(codes.flatMap((c) => [check(apiA, gate, c), check(apiB, gate2, c)]));
      for (let i = 0; i < codes.length; i++) {
        const pair = [results[2 * i].body.decision, results[2 * i + 1].body.decision].sort();
        assert.deepEqual(pair, [TicketDecision.AlreadyUsed, TicketDecision.Valid], codes[i]);
      }
      const recorded = await apiB.request('GET', `/admin/ticket-checks?decision=valid&limit=500`);
      assert.equal(recorded.body.items.filter((r: { ticket_code: string }) => codes.includes(r.ticket_code)).length, codes.length);
    });

    it('returns the same decision for the same nonce (also concurrently) and consumes nothing more', async () => {
      await createTicket('nonce');
      const nonce = `scan-${randomUUID()}`;
      const first = await check(apiA, gate, code('nonce'), { nonce });
      assert.equal(first.body.decision, TicketDecision.Valid);
      const retries = await Promise.all([check(apiA, gate, code('nonce'), { nonce }), check(apiB, gate, code('nonce'), { nonce })]);
      for (const retry of retries) {
        assert.equal(retry.status, 200);
        assert.equal(retry.body.decision, TicketDecision.Valid);
        assert.equal(retry.body.replayed, true);
        assert.equal(retry.body.check_id, first.body.check_id);
        assert.equal(retry.body.checked_at, first.body.checked_at);
      }
      // Two copies of one new scan racing: one decision, recorded once.
      await createTicket('nonce-race');
      const raced = `scan-${randomUUID()}`;
      const both = await Promise.all([check(apiA, gate, code('nonce-race'), { nonce: raced }), check(apiB, gate, code('nonce-race'), { nonce: raced })]);
      assert.deepEqual(both.map((r) => r.body.decision), [TicketDecision.Valid, TicketDecision.Valid]);
      assert.equal(both[0].body.check_id, both[1].body.check_id);
      assert.deepEqual(both.map((r) => r.body.replayed).sort(), [false, true]);
      const records = await apiA.request('GET', `/admin/ticket-checks?ticket_code=${code('nonce-race')}`);
      assert.equal(records.body.total, 1);
      // The same nonce from another robot is another scan.
      assert.equal((await check(apiA, gate2, code('nonce'), { nonce })).body.decision, TicketDecision.AlreadyUsed);
      // A nonce reused for another ticket is a client bug: 409, nothing recorded.
      const reused = await check(apiA, gate, code('d-valid'), { nonce });
      assert.equal(reused.status, 409);
      assert.match(reused.body.message!, /already used by this robot for another scan/);
    });

    it('records every decision; operators filter them by robot, ticket, decision, direction and time', async () => {
      const gateId = robotIds.get('gate')!;
      const all = await apiA.request('GET', `/admin/ticket-checks?robot_id=${gateId}&limit=500`);
      assert.ok(all.body.total >= 10);
      assert.ok(all.body.items.every((r: { robot_id: string; robot_name: string }) => r.robot_id === gateId && r.robot_name === `gate-${run}`));
      const unknown = await apiA.request('GET', `/admin/ticket-checks?decision=unknown&ticket_code=${code('d-missing')}`);
      assert.equal(unknown.body.total, 1);
      assert.equal(unknown.body.items[0].ticket_id, null);
      assert.equal(unknown.body.items[0].reason, `No ticket has the code ${code('d-missing')}`);
      const exits = await apiA.request('GET', `/admin/ticket-checks?direction=exit&robot_id=${gateId}`);
      assert.ok(exits.body.items.length >= 2 && exits.body.items.every((r: { direction: string }) => r.direction === 'exit'));
      const future = await apiA.request('GET', `/admin/ticket-checks?from=${new Date(Date.now() + 60_000).toISOString()}`);
      assert.equal(future.body.total, 0);
      const bad = await apiA.request('GET', '/admin/ticket-checks?decision=maybe');
      assert.equal(bad.status, 400);
      // /metrics counts checks by decision and by the path that settled them. Whether a second scan
      // overlapped the first (slow path) or came after its commit (fast path) is up to timing.
      const metrics = (await Promise.all([a, b, c].map((p) => fetch(`${p.url}/metrics`).then((r) => r.text())))).join('\n');
      for (const series of ['decision="valid",direction="entry",path="fast"', 'decision="already_used",direction="entry",path="(fast|slow)"', 'path="replay"']) {
        assert.match(metrics, new RegExp(`fleet_ticket_checks_total\\{[^}]*${series.replace(/[{}]/g, '')}[^}]*\\} [1-9]`), series);
      }
    });

    it('keeps the Redis ticket cache right: only final states are cached, a cancel on instance B is seen by a check on instance A at once', async () => {
      const id = await createTicket('cached');
      const key = `base:ticket:${code('cached')}`;
      assert.equal((await check(apiA, gate, code('cached'), { direction: 'exit' })).body.decision, TicketDecision.Valid);
      assert.equal(await redis.get(key), null, 'an active ticket is not cached');
      assert.equal((await apiB.request('POST', `/admin/tickets/${id}/cancel`, { body: {} })).status, 200);
      assert.equal(JSON.parse((await redis.get(key))!).status, 'cancelled', 'the cancel stored the final state');
      assert.equal((await check(apiA, gate, code('cached'))).body.decision, TicketDecision.Cancelled);
      assert.equal((await check(apiA, gate, code('cached'), { direction: 'exit' })).body.decision, TicketDecision.Cancelled);
      const again = await apiB.request('POST', `/admin/tickets/${id}/cancel`, { body: {} });
      assert.equal(again.status, 409);

      // The entry scan writes nothing to Redis; the next check that reads the used ticket caches it.
      await createTicket('used');
      const usedKey = `base:ticket:${code('used')}`;
      assert.equal((await check(apiB, gate2, code('used'))).body.decision, TicketDecision.Valid);
      assert.equal(await redis.get(usedKey), null, 'the consume wrote nothing');
      const exit = (await check(apiA, gate, code('used'), { direction: 'exit' })).body;
      assert.equal(exit.decision, TicketDecision.Valid);
      const cachedUsed = JSON.parse((await redis.get(usedKey))!);
      assert.equal(cachedUsed.status, 'used', 'the read filled the final state');
      const second = (await check(apiA, gate, code('used'))).body;
      assert.equal(second.decision, TicketDecision.AlreadyUsed, 'decided on the cached used state');
      assert.match(second.reason, new RegExp(`already used at ${cachedUsed.used_at}`));

      // An "active" entry (as an older version wrote them) is never trusted: the check reads
      // Postgres, and even a trusted one could not let a ticket in twice (a conditional UPDATE decides).
      await createTicket('stale');
      const staleKey = `base:ticket:${code('stale')}`;
      assert.equal((await check(apiA, gate, code('stale'), { direction: 'exit' })).body.decision, TicketDecision.Valid);
      const { body: staleTicket } = await apiA.request('GET', `/admin/tickets?code=${code('stale')}`);
      const active = (staleTicket as { items: Array<Record<string, unknown>> }).items[0];
      assert.equal((await check(apiB, gate2, code('stale'))).body.decision, TicketDecision.Valid);
      await redis.set(staleKey, JSON.stringify({ ...active, status: 'active', used_at: null }), 'EX', 60);
      assert.equal((await check(apiA, gate, code('stale'))).body.decision, TicketDecision.AlreadyUsed);
      assert.equal(JSON.parse((await redis.get(staleKey))!).status, 'used', 'the check replaced the entry with the final state');
    });

    it('limits each robot on robot routes: 429 with Retry-After, other robots unaffected', async () => {
      const busy = await registerRobot('busy');
      const calm = await registerRobot('calm');
      await createTicket('limited');
      // Start at the beginning of a wall-clock second; on a loaded machine the burst may still
      // spill into the next window(s), so the bound is 5 per window the burst touched.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
      const firstSecond = Math.floor(Date.now() / 1000);
      const burst = await Promise.all(Array.from({ length: 16 }, () => check(apiC, busy, code('limited'), { direction: 'exit' })));
      const windows = Math.floor(Date.now() / 1000) - firstSecond + 1;
      const statuses = burst.map((r) => r.status);
      const passed = statuses.filter((s) => s === 200).length;
      const limited = burst.filter((r) => r.status === 429);
      assert.equal(passed + limited.length, 16, statuses.join());
      assert.ok(passed >= 5 && passed <= 5 * windows, `${passed} passed in ${windows} window(s)`);
      assert.ok(limited.length >= 16 - 5 * windows && limited.length > 0, statuses.join());
      for (const response of limited) {
        assert.equal(response.headers.get('retry-after'), '1');
        assert.match(response.body.message!, /rate limit of 5 requests per second/);
      }
      assert.equal((await check(apiC, calm, code('limited'), { direction: 'exit' })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      assert.equal((await check(apiC, busy, code('limited'), { direction: 'exit' })).status, 200, 'the next window is open');
    });

    it('counts a robot across instances in one expiring Redis counter per second', async () => {
      const shared = await registerRobot('shared');
      await createTicket('shared');
      // Early in a wall-clock second, so the window does not turn over between the steps.
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
      const key = `base:rl:robot:${shared.clientId}:${Math.floor(Date.now() / 1000)}`;
      // Another instance's four requests of this second, as it counts them.
      await redis.set(key, '4', 'PX', 2000);
      assert.equal((await check(apiC, shared, code('shared'), { direction: 'exit' })).status, 200, 'the fifth of the second passes');
      assert.equal(await redis.get(key), '5');
      assert.equal((await check(apiC, shared, code('shared'), { direction: 'exit' })).status, 429, 'the sixth is over the shared limit');
      await redis.del(key);
      assert.equal((await check(apiC, shared, code('shared'), { direction: 'exit' })).status, 200, 'a fresh counter');
      const ttl = await redis.pttl(key);
      assert.ok(ttl > 0 && ttl <= 2000, `the first count of a window sets its expiry (pttl ${ttl})`);
    });
  });

  describe('robots', () => {
    it('registers robots (409 on a taken client id), takes heartbeats and shows who is online with the last status', async () => {
      const walker = await registerRobot('walker');
      await registerRobot('idle');
      const taken = await apiA.request('POST', '/admin/robots', { body: { name: `other-${run}`, station: 'Central', keycloak_client_id: walker.clientId } });
      assert.equal(taken.status, 409);
      const beat = await apiB.request('POST', '/robot/heartbeat', { as: walker, body: { battery: 87, state: 'busy', position: { x: 12.5, y: -3, zone: 'platform-3' } } });
      assert.equal(beat.status, 200, JSON.stringify(beat.body));
      assert.equal(beat.body.robot_id, robotIds.get('walker'));
      const bad = await apiB.request('POST', '/robot/heartbeat', { as: walker, body: { battery: 120, state: 'dancing' } });
      assert.equal(bad.status, 400);
      const one = await apiA.request('GET', `/admin/robots/${robotIds.get('walker')}`);
      assert.equal(one.body.online, true);
      assert.deepEqual({ ...one.body.last_status, received_at: undefined }, { battery: 87, state: 'busy', position: { x: 12.5, y: -3, zone: 'platform-3' }, received_at: undefined });
      const other = await apiA.request('GET', `/admin/robots/${robotIds.get('idle')}`);
      assert.equal(other.body.online, false);
      assert.equal(other.body.last_status, null);
      const online = await apiA.request('GET', '/admin/robots?online=true&limit=500');
      assert.ok(online.body.items.some((r: { id: string }) => r.id === robotIds.get('walker')));
      assert.ok(!online.body.items.some((r: { id: string }) => r.id === robotIds.get('idle')));
      assert.ok(online.body.items.every((r: { online: boolean }) => r.online));
      assert.equal(online.body.total, online.body.items.length, 'the filter is applied before paging');
      const offline = await apiB.request('GET', '/admin/robots?online=false&limit=500');
      assert.ok(offline.body.items.some((r: { id: string }) => r.id === robotIds.get('idle')));
      assert.ok(!offline.body.items.some((r: { id: string }) => r.id === robotIds.get('walker')));
      const all = await apiB.request('GET', '/admin/robots?limit=1');
      assert.equal(all.body.total, online.body.total + offline.body.total);
      assert.equal((await apiB.request('GET', '/admin/robots?online=maybe')).status, 400);

      const bound = await apiA.request('POST', '/admin/robots', { body: { name: `bound-${run}`, station: 'Central', keycloak_client_id: `robot-${run}-bound`, assigned_train: 'IC-5' } });
      const moved = await apiA.request('PATCH', `/admin/robots/${bound.body.id}`, { body: { station: 'North' } });
      assert.deepEqual([moved.body.station, moved.body.assigned_train], ['North', 'IC-5'], 'an edit keeps what it does not name');
      const freed = await apiA.request('PATCH', `/admin/robots/${bound.body.id}`, { body: { assigned_train: null } });
      assert.equal(freed.body.assigned_train, null);
      assert.equal((await apiA.request('PATCH', `/admin/robots/${randomUUID()}`, { body: { station: 'x' } })).status, 404);
      assert.equal(await redis.ttl(`base:robot:online:${robotIds.get('walker')}`) > 0, true, 'online expires by itself');
    });
  });

  describe('engineers', () => {
    it('registers, edits and deactivates engineers; employee numbers are unique; events go to the outbox', async () => {
      const body = { employee_number: `E-${run}`, first_name: 'Katherine', last_name: 'Johnson', email: 'kj@example.org', phone: '+1 555 0100', roles: ['electrician'] };
      const created = await apiA.request('POST', '/admin/engineers', { body });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.version, '1');
      const id = created.body.id as string;
      assert.equal((await apiA.request('POST', '/admin/engineers', { body })).status, 409);
      assert.equal((await apiA.request('POST', '/admin/engineers', { body: { ...body, employee_number: 'bad number', roles: ['pilot'] } })).status, 400);
      const other = await apiA.request('POST', '/admin/engineers', { body: { ...body, employee_number: `F-${run}`, first_name: 'Dorothy', last_name: 'Vaughan' } });
      assert.equal((await apiA.request('PATCH', `/admin/engineers/${other.body.id}`, { body: { employee_number: `E-${run}` } })).status, 409);
      const edited = await apiB.request('PATCH', `/admin/engineers/${id}`, { body: { roles: ['electrician', 'supervisor'] } });
      assert.equal(edited.status, 200);
      assert.deepEqual(edited.body.roles, ['electrician', 'supervisor']);
      assert.equal(edited.body.version, '2');
      assert.deepEqual([edited.body.email, edited.body.phone, edited.body.first_name], ['kj@example.org', '+1 555 0100', 'Katherine'], 'an edit keeps what it does not name');
      const noMail = await apiB.request('PATCH', `/admin/engineers/${other.body.id}`, { body: { email: null } });
      assert.deepEqual([noMail.body.email, noMail.body.phone], [null, '+1 555 0100']);
      const view = await apiA.request('GET', `/robot/users/${id}`, { as: robot('gate') });
      assert.equal(view.status, 200);
      assert.deepEqual(view.body, { id, display_name: 'Katherine J.', roles: ['electrician', 'supervisor'], active: true });
      const gone = await apiA.request('POST', `/admin/engineers/${id}/deactivate`);
      assert.equal(gone.status, 200);
      assert.equal(gone.body.active, false);
      assert.equal((await apiA.request('POST', `/admin/engineers/${id}/deactivate`)).status, 409);
      assert.equal((await apiA.request('GET', `/robot/users/${id}`, { as: robot('gate') })).body.active, false);
      assert.equal((await apiA.request('GET', `/robot/users/${randomUUID()}`, { as: robot('gate') })).status, 404);
      const active = await apiA.request('GET', `/admin/engineers?active=true&role=electrician`);
      assert.deepEqual(active.body.items.map((e: { id: string }) => e.id), [other.body.id]);
      const events = await receive(5);
      assert.deepEqual(events.map((e) => [e.pattern, e.data.engineer_id, e.data.version]), [
        [EngineerCreatedEvent.name, id, '1'],
        [EngineerCreatedEvent.name, other.body.id, '1'],
        [EngineerChangedEvent.name, id, '2'],
        [EngineerChangedEvent.name, other.body.id, '2'],
        [EngineerDeactivatedEvent.name, id, '3'],
      ]);
      const last = events[4].data;
      assert.deepEqual({ ...last, occurred_at: undefined }, { engineer_id: id, employee_number: `E-${run}`, name: 'Katherine Johnson', active: false, roles: ['electrician', 'supervisor'], version: '3', occurred_at: undefined });
      assert.ok(Math.abs(Date.parse(last.occurred_at) - Date.now()) < 60_000);
      assert.equal(events[4].messageId, `base-engineer-event-5`);
      // The relay commits "published" after the broker confirmed, so the outbox may trail the queue briefly.
      let outbox = await apiA.request('GET', '/admin/engineers/events/outbox');
      for (let i = 0; i < 50 && outbox.body.published < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        outbox = await apiA.request('GET', '/admin/engineers/events/outbox');
      }
      assert.deepEqual(outbox.body, { pending: 0, published: 5, last_error: null });
    });
  });
});

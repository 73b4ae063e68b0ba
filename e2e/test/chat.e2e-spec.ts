import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { ChatClient, ChatClientOptions, Frame, signTestToken, sleep } from '@fleet/testing';
import type { CursorPage } from '@fleet/contracts';
import { startTestFleet, TestFleet } from '../src';

/**
 * The realtime chat as users meet it: WebSockets through nginx at /base_api/ws, two base
 * instances behind it, Postgres and Redis pub/sub between them.
 */
describe('chat through the gateway', () => {
  let fleet: TestFleet;
  const clients: ChatClient[] = [];

  before(async () => {
    fleet = await startTestFleet({ only: ['base'] });
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await fleet?.stop();
  });

  async function connect(options: ChatClientOptions): Promise<ChatClient> {
    const client = await ChatClient.connect(fleet.gatewayUrl, { path: '/base_api/ws', ...options });
    clients.push(client);
    return client;
  }

  async function ready(sub: string, options: ChatClientOptions = {}): Promise<{ client: ChatClient; instance: string }> {
    const client = await connect({ token: await fleet.token('robot', sub), ...options });
    const welcome = await client.next((frame) => frame.type === 'welcome');
    await client.next((frame) => frame.type === 'joined' && frame.room === 'lobby');
    return { client, instance: String(welcome.instance) };
  }

  /** Connects until nginx has put one client on each base instance. */
  async function pairOnTwoInstances(prefix: string): Promise<[ChatClient, ChatClient]> {
    const first = await ready(`${prefix}-a`);
    for (let attempt = 0; attempt < 10; attempt++) {
      const second = await ready(`${prefix}-b`);
      if (second.instance !== first.instance) return [first.client, second.client];
      await second.client.close();
    }
    throw new Error('nginx never placed two clients on different base instances');
  }

  test('a message sent through one base instance reaches a client on the other, with user_id from the token', async () => {
    const [alice, bob] = await pairOnTwoInstances('pair');
    const content = `hello ${randomUUID()}`;
    alice.send({ content, user_id: 'spoofed' });
    const received = await bob.next((frame) => frame.content === content);
    assert.equal(received.room, 'lobby');
    assert.equal(received.user_id, 'pair-a', 'the subject of the token, not what the client claims');
    assert.equal(typeof received.seq, 'number');
    assert.match(String(received.id), /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(String(received.created_at))));
    const echoed = await alice.next((frame) => frame.content === content);
    assert.equal(echoed.seq, received.seq, 'both instances agree on the seq');
  });

  test('a client that reconnects with its last seq gets what it missed, in order, once', async () => {
    const [sender, reader] = await pairOnTwoInstances('resume');
    const marker = `mark ${randomUUID()}`;
    sender.send({ content: marker });
    const lastSeen = Number((await reader.next((frame) => frame.content === marker)).seq);
    await reader.close();
    const missed = [1, 2, 3].map((i) => `missed ${i} ${randomUUID()}`);
    for (const content of missed) sender.send({ content });
    await sender.next((frame) => frame.content === missed[2]);

    const back = (await ready('resume-b', { query: { after_seq: lastSeen } })).client;
    const replay = await back.waitForMessages('lobby', 3);
    assert.deepEqual(replay.map((message) => message.content), missed);
    assert.deepEqual(replay.map((message) => message.seq), [lastSeen + 1, lastSeen + 2, lastSeen + 3]);
    const live = `live ${randomUUID()}`;
    sender.send({ content: live });
    await back.next((frame) => frame.content === live);
    assert.equal(back.messagesIn('lobby').length, 4, 'nothing twice');
  });

  test('history is readable over HTTP through the gateway', async () => {
    const { client } = await ready('history-writer');
    const content = `for the record ${randomUUID()}`;
    client.send({ content });
    const seq = Number((await client.next((frame) => frame.content === content)).seq);
    const response = await fleet.request(`/base_api/rooms/lobby/messages?after_seq=${seq - 1}&limit=1`, {
      headers: { authorization: `Bearer ${await fleet.token('operator')}` },
    });
    assert.equal(response.status, 200);
    const messages = ((await response.json()) as CursorPage<Record<string, unknown>>).items;
    assert.equal(messages.length, 1);
    assert.equal(messages[0].content, content);
    assert.equal(messages[0].seq, seq);
  });

  test('a bad frame gets an error frame for its sender only; the other instance notices nothing', async () => {
    const [clumsy, observer] = await pairOnTwoInstances('bad');
    const before = observer.frames.length;
    clumsy.send('not json at all');
    const notJson = await clumsy.next((frame) => frame.type === 'error');
    assert.equal(notJson.code, 'bad_frame');
    clumsy.send({ content: 'x'.repeat(4001) });
    const tooLong = await clumsy.next((frame) => frame.type === 'error' && frame !== notJson);
    assert.match(String(tooLong.message), /4000|long/i);
    clumsy.send({ room: 'no-such-room-here', content: 'hi' });
    await clumsy.until(() => (clumsy.errors().length >= 3 ? true : undefined), 5000, 'a third error frame');
    // The connection survives its mistakes.
    const fine = `still here ${randomUUID()}`;
    clumsy.send({ content: fine });
    await observer.next((frame) => frame.content === fine);
    const seenByObserver = observer.frames.slice(before);
    assert.deepEqual(seenByObserver.filter((frame: Frame) => frame.type === 'error'), [], 'no error reached the other client');
    assert.deepEqual(seenByObserver.map((frame) => frame.content), [fine]);
  });

  test('bad tokens close the socket with a clear code; the access_token query never reaches the access log', async () => {
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = await signTestToken(fleet.realm, { sub: 'mallory', roles: ['operator'], signWith: otherKey });
    const expired = await fleet.token('operator', 'late', { expiresIn: -60 });
    const cases: Array<[string, ChatClientOptions, number]> = [
      ['no token', {}, 4401],
      ['garbage token', { token: 'not.a.jwt' }, 4401],
      ['forged signature', { token: forged }, 4401],
      ['expired', { token: expired }, 4401],
      ['forged, in the query', { token: forged, tokenInQuery: true }, 4401],
      ['valid but no chat role', { token: await fleet.token('drone', 'drone-x') }, 4403],
    ];
    for (const [what, options, code] of cases) {
      const client = await connect(options);
      const closed = await client.closed;
      assert.equal(closed.code, code, what);
      assert.ok(closed.reason.length > 0, `${what}: a reason is given`);
    }
    const viaQuery = await connect({ token: await fleet.token('operator', 'browser'), tokenInQuery: true });
    await viaQuery.next((frame) => frame.type === 'joined');
    await sleep(200); // nginx writes the access line when the upgrade request is answered
    const accessLog = readFileSync(path.join(fleet.fleet.logDir, 'nginx-access.log'), 'utf8');
    assert.match(accessLog, /\/base_api\/ws/);
    assert.doesNotMatch(accessLog, /access_token|eyJ/, 'tokens must not be logged');
  });
});


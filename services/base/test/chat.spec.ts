import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ChatMessageFrame } from '@fleet/contracts';
import { ChatClient, createTestDatabase, createTestRealm, Frame, signTestToken, sleep, TestDatabase, TestRealm, TestTokenOptions } from '@fleet/testing';
import { baseDataSourceOptions } from '../src/database/base.datasource';
import { freePort } from './support/free-port';
import { BaseProcess, spawnBase } from './support/spawn-base';
import { TcpProxy } from './support/tcp-proxy';

/**
 * The chat end to end on one service: three real base processes sharing one fresh database and
 * the machine's Redis, real WebSockets. A and B are plain; C reaches Postgres and Redis through
 * proxies, so a test can take either away from C alone.
 */
describe('base chat', () => {
  let realm: TestRealm;
  let db: TestDatabase;
  let a: BaseProcess;
  let b: BaseProcess;
  let c: BaseProcess;
  let pgProxy: TcpProxy;
  let redisProxy: TcpProxy;
  const clients: ChatClient[] = [];

  const token = (sub: string, roles: string[] = ['operator'], options: TestTokenOptions = {}) => signTestToken(realm, { sub, roles, ...options });

  async function client(base: BaseProcess, sub: string, query?: Record<string, string | number>): Promise<ChatClient> {
    const chat = await ChatClient.ready(base.url, { token: await token(sub), query });
    clients.push(chat);
    return chat;
  }

  async function api(method: string, path: string, options: { sub?: string; roles?: string[]; body?: unknown; bearer?: string | null } = {}) {
    const bearer = options.bearer === undefined ? await token(options.sub ?? 'op-http', options.roles ?? ['operator']) : options.bearer;
    const response = await fetch(`${a.url}${path}`, {
      method,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { items?: ChatMessageFrame[]; next_cursor?: string | null } };
  }

  async function createRoom(name: string): Promise<void> {
    assert.equal((await api('POST', '/rooms', { body: { name } })).status, 201);
  }

  /** Joins `room` and waits for `joined`; returns its last_seq. */
  async function join(chat: ChatClient, room: string, afterSeq?: number): Promise<number> {
    const from = chat.frames.length;
    chat.send({ type: 'join', room, ...(afterSeq === undefined ? {} : { after_seq: afterSeq }) });
    const joined = await chat.next((frame) => frame.type === 'joined' && frame.room === room, 5000, from);
    return joined.last_seq as number;
  }

  function seqs(messages: ChatMessageFrame[]): number[] {
    return messages.map((message) => message.seq);
  }

  function range(from: number, to: number): number[] {
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }

  /** Asserts that `chat` records no new frame for `ms`. */
  async function assertQuiet(chat: ChatClient, ms = 300): Promise<void> {
    const before = chat.frames.length;
    await sleep(ms);
    assert.deepEqual(chat.frames.slice(before), [], 'no frame expected');
  }

  before(async () => {
    realm = createTestRealm();
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
    pgProxy = await TcpProxy.start({ host: '127.0.0.1', port: 5432 });
    redisProxy = await TcpProxy.start({ host: '127.0.0.1', port: 6379 });
    const proxiedDb = new URL(db.url);
    proxiedDb.port = String(pgProxy.port);
    const [portA, portB, portC] = [await freePort(), await freePort(), await freePort()];
    [a, b, c] = await Promise.all([
      spawnBase({ port: portA, databaseUrl: db.url, realm, instanceId: 'chat-a' }),
      spawnBase({ port: portB, databaseUrl: db.url, realm, instanceId: 'chat-b' }),
      spawnBase({ port: portC, databaseUrl: proxiedDb.toString(), realm, instanceId: 'chat-c', env: { REDIS_URL: `redis://127.0.0.1:${redisProxy.port}` } }),
    ]);
  });

  after(async () => {
    await Promise.all(clients.map((chat) => chat.close()));
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
    await Promise.all([pgProxy?.down(), redisProxy?.down()]);
    await db?.drop();
  });

  describe('handshake', () => {
    it('welcomes a client with a header token or an access_token query, into the lobby', async () => {
      const byHeader = await ChatClient.connect(a.url, { token: await token('alice') });
      const byQuery = await ChatClient.connect(b.url, { token: await token('bob', ['robot']), tokenInQuery: true });
      clients.push(byHeader, byQuery);
      for (const [chat, sub, instance] of [[byHeader, 'alice', 'chat-a'], [byQuery, 'bob', 'chat-b']] as const) {
        const welcome = await chat.next((frame) => frame.type === 'welcome');
        assert.deepEqual(welcome, { type: 'welcome', user_id: sub, rooms: ['lobby'], instance });
        const joined = await chat.next((frame) => frame.type === 'joined');
        assert.equal(joined.room, 'lobby');
        assert.equal(typeof joined.last_seq, 'number');
      }
    });

    it('closes with 4401 for a missing, forged, expired or malformed token, and 4403 without a chat role', async () => {
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      const cases: Array<[string, Parameters<typeof ChatClient.connect>[1], number, RegExp]> = [
        ['missing', {}, 4401, /missing/],
        ['forged', { token: await token('eve', ['operator'], { signWith: otherKey }) }, 4401, /invalid token/],
        ['expired', { token: await token('old', ['operator'], { expiresIn: -60 }) }, 4401, /expired/],
        ['malformed', { token: 'not-a-jwt' }, 4401, /malformed/],
        ['forged in query', { token: await token('eve', ['operator'], { signWith: otherKey }), tokenInQuery: true }, 4401, /invalid token/],
        ['drone', { token: await token('drone-1', ['drone']) }, 4403, /roles/],
        ['no roles', { token: await token('nobody', []) }, 4403, /roles/],
      ];
      for (const [name, options, code, reason] of cases) {
        const chat = await ChatClient.connect(b.url, options);
        // Frames sent before the verdict are never processed.
        chat.send({ content: `sneaked in by ${name}` });
        const closed = await chat.closed;
        assert.equal(closed.code, code, name);
        assert.match(closed.reason, reason, name);
        assert.deepEqual(chat.frames, [], `${name}: no frame before the close`);
      }
      const history = await api('GET', '/rooms/lobby/messages?limit=500');
      assert.ok(!history.body.items!.some((message) => message.content.startsWith('sneaked in')));
    });

    it('closes with 4401 when the token expires while connected', async () => {
      const chat = await ChatClient.ready(a.url, { token: await token('short', ['operator'], { expiresIn: 2 }) });
      const closed = await chat.closed;
      assert.deepEqual(closed, { code: 4401, reason: 'token expired' });
    });
  });

  describe('delivery', () => {
    it('delivers a message sent on instance A to clients on A and B, with user_id from the token', async () => {
      const alice = await client(a, 'alice');
      const bob = await client(b, 'bob');
      const fromBob = bob.messages.length;
      alice.send({ content: 'hello from A', user_id: 'mallory', id: 'forged', seq: 999, created_at: '1970-01-01T00:00:00Z' });
      const received = await bob.next((frame) => frame.content === 'hello from A');
      assert.deepEqual(Object.keys(received).sort(), ['content', 'created_at', 'id', 'room', 'seq', 'user_id']);
      assert.equal(received.user_id, 'alice');
      assert.equal(received.room, 'lobby');
      assert.match(received.id as string, /^[0-9a-f-]{36}$/);
      assert.ok(Math.abs(Date.parse(received.created_at as string) - Date.now()) < 10_000);
      assert.notEqual(received.seq, 999);
      const echoed = await alice.next((frame) => frame.content === 'hello from A');
      assert.deepEqual(echoed, received, 'the sender gets the same frame');
      assert.equal(bob.messages.length, fromBob + 1);
    });

    it('gives a room consecutive seqs and every client the same order', async () => {
      await createRoom('order');
      const sender = await client(a, 'sender');
      const readers = [await client(a, 'reader-a'), await client(b, 'reader-b')];
      for (const chat of [sender, ...readers]) await join(chat, 'order');
      for (let i = 1; i <= 15; i++) sender.send({ room: 'order', content: `m${i}` });
      for (const reader of readers) {
        const messages = await reader.waitForMessages('order', 15);
        assert.deepEqual(seqs(messages), range(1, 15));
        assert.deepEqual(
          messages.map((message) => message.content),
          range(1, 15).map((i) => `m${i}`),
        );
      }
    });

    it('gives concurrent senders on both instances unique, consecutive seqs', async () => {
      await createRoom('race');
      const senders = await Promise.all(range(1, 6).map((i) => client(i % 2 ? a : b, `racer-${i}`)));
      const watchers = [await client(a, 'watch-a'), await client(b, 'watch-b')];
      for (const chat of [...senders, ...watchers]) await join(chat, 'race');
      senders.forEach((sender, i) => range(1, 10).forEach((n) => sender.send({ room: 'race', content: `${i}:${n}` })));
      const seen = await Promise.all(watchers.map((watcher) => watcher.waitForMessages('race', 60, 10_000)));
      for (const messages of seen) {
        assert.deepEqual(seqs(messages), range(1, 60), 'gap-free, duplicate-free, in order');
        for (let i = 0; i < 6; i++) {
          const own = messages.filter((message) => message.content.startsWith(`${i}:`)).map((message) => message.content);
          assert.deepEqual(own, range(1, 10).map((n) => `${i}:${n}`), 'each sender keeps its order');
        }
      }
      assert.deepEqual(seen[0], seen[1], 'both instances delivered the same frames');
      const history = await api('GET', '/rooms/race/messages?limit=500');
      assert.deepEqual(seqs(history.body.items!), range(1, 60));
    });

    it('keeps rooms apart, and needs a join before a send', async () => {
      await createRoom('ops');
      const member = await client(a, 'member');
      const outsider = await client(b, 'outsider');
      assert.equal(await join(member, 'ops'), 0);
      member.send({ room: 'ops', content: 'members only' });
      await member.next((frame) => frame.content === 'members only');
      outsider.send({ room: 'ops', content: 'let me in' });
      const refused = await outsider.next((frame) => frame.type === 'error');
      assert.deepEqual(refused, { type: 'error', code: 'not_in_room', message: 'join room ops before sending to it', room: 'ops' });
      await assertQuiet(outsider);
      member.send({ type: 'leave', room: 'ops' });
      await member.next((frame) => frame.type === 'left' && frame.room === 'ops');
      member.send({ room: 'ops', content: 'after leaving' });
      assert.equal((await member.next((frame) => frame.type === 'error')).code, 'not_in_room');
    });
  });

  describe('resume', () => {
    it('sends a reconnecting client what it missed, once, then live messages', async () => {
      await createRoom('resume');
      const sender = await client(a, 'resume-sender');
      await join(sender, 'resume');
      const reader = await client(b, 'resume-reader');
      await join(reader, 'resume');
      for (let i = 1; i <= 5; i++) sender.send({ room: 'resume', content: `r${i}` });
      const firstFive = await reader.waitForMessages('resume', 5);
      const lastSeen = firstFive[4].seq;
      await reader.close();
      for (let i = 6; i <= 10; i++) sender.send({ room: 'resume', content: `r${i}` });
      await sender.waitForMessages('resume', 10);

      const back = await client(a, 'resume-reader'); // the other instance this time
      assert.equal(await join(back, 'resume', lastSeen), 10);
      sender.send({ room: 'resume', content: 'r11' });
      const missed = await back.waitForMessages('resume', 6);
      assert.deepEqual(seqs(missed), range(6, 11));
      assert.deepEqual(missed.map((message) => message.content), range(6, 11).map((i) => `r${i}`));
      await assertQuiet(back);
      assert.equal(back.messagesIn('resume').length, 6, 'nothing twice');

      back.send({ type: 'resume', room: 'resume', after_seq: 9 });
      await back.waitForMessages('resume', 8);
      assert.deepEqual(seqs(back.messagesIn('resume')).slice(6), [10, 11], 'an explicit resume replays from after_seq');
    });

    it('resumes the lobby from the connect query ?after_seq=', async () => {
      const sender = await client(b, 'lobby-sender');
      const probe = await client(a, 'lobby-probe');
      const lastSeq = (probe.frames.find((frame) => frame.type === 'joined') as Frame).last_seq as number;
      await probe.close();
      for (let i = 1; i <= 3; i++) sender.send({ content: `while away ${i}` });
      await sender.next((frame) => frame.content === 'while away 3');
      const back = await client(a, 'lobby-probe', { after_seq: lastSeq });
      const missed = await back.waitForMessages('lobby', 3);
      assert.deepEqual(missed.map((message) => message.content), ['while away 1', 'while away 2', 'while away 3']);
      assert.equal(missed[0].seq, lastSeq + 1);
    });

    it('leaves no gap and no duplicate when messages keep coming during the resume', async () => {
      await createRoom('stream');
      const writers = await Promise.all(range(1, 6).map((i) => client(i % 2 ? a : b, `writer-${i}`)));
      for (const writer of writers) await join(writer, 'stream');
      // 15 each: with the join, within one connection's per-second frame budget.
      writers.forEach((writer, i) => range(1, 15).forEach((n) => writer.send({ room: 'stream', content: `backlog ${i}:${n}` })));
      await writers[0].waitForMessages('stream', 90);
      // Live traffic on both instances while readers resume from 0 at staggered moments.
      let live = 0;
      const ticker = setInterval(() => writers.forEach((writer) => writer.send({ room: 'stream', content: `live ${++live}` })), 150);
      const readers: ChatClient[] = [];
      for (let i = 0; i < 6; i++) {
        const reader = await client(i % 2 ? a : b, `stream-reader-${i}`);
        reader.send({ type: 'join', room: 'stream', after_seq: 0 });
        readers.push(reader);
        await sleep(90);
      }
      await sleep(300);
      clearInterval(ticker);
      const total = 90 + live;
      for (const reader of readers) {
        await reader.waitForMessages('stream', total, 10_000);
        await sleep(100);
        assert.deepEqual(seqs(reader.messagesIn('stream')), range(1, total));
      }
    });
  });

  describe('bad frames', () => {
    it('answers each with an error frame to its sender only; others notice nothing', async () => {
      const sender = await client(a, 'clumsy');
      const observer = await client(b, 'observer');
      const sameInstance = await client(a, 'observer-a');
      const cases: Array<[unknown, string, RegExp?]> = [
        ['not json', 'bad_frame', /not valid JSON/],
        ['[1,2]', 'bad_frame', /JSON object/],
        ['"text"', 'bad_frame', /JSON object/],
        [{}, 'bad_frame', /content/],
        [{ content: '' }, 'bad_frame'],
        [{ content: '   ' }, 'bad_frame', /blank/],
        [{ content: 5 }, 'bad_frame', /string/],
        [{ content: 'a\u0000b' }, 'bad_frame', /NUL/],
        [{ content: 'x'.repeat(4001) }, 'content_too_long'],
        [JSON.stringify({ content: 'y'.repeat(20_000) }), 'bad_frame', /larger than/],
        [{ room: 'nope', content: 'hi' }, 'unknown_room'],
        [{ room: 'Not A Room!', content: 'hi' }, 'unknown_room'],
        [{ room: 5, content: 'hi' }, 'bad_frame', /room must be a string/],
        [{ type: 'join', room: 'nope' }, 'unknown_room'],
        [{ type: 'join' }, 'bad_frame', /room/],
        [{ type: 'join', room: 'lobby', after_seq: '3' }, 'bad_frame', /after_seq/],
        [{ type: 'resume', room: 'lobby', after_seq: -1 }, 'bad_frame', /after_seq/],
        [{ type: 'resume', room: 'lobby' }, 'bad_frame', /after_seq/],
        [{ type: 'leave', room: 'lobby' }, 'bad_frame', /lobby/],
        [{ type: 'dance' }, 'bad_frame', /unknown frame type/],
      ];
      const observed = [observer.frames.length, sameInstance.frames.length];
      for (const [frame, code, message] of cases) {
        const from = sender.frames.length;
        sender.send(frame);
        const error = await sender.next((f) => f.type === 'error', 3000, from);
        assert.equal(error.code, code, JSON.stringify(frame).slice(0, 80));
        if (message) assert.match(error.message as string, message);
      }
      await sleep(200);
      assert.equal(sender.errors().length, cases.length, 'one error per bad frame');
      assert.equal(sender.messages.filter((m) => m.user_id === 'clumsy').length, 0, 'nothing stored');
      assert.deepEqual(observer.frames.slice(observed[0]), []);
      assert.deepEqual(sameInstance.frames.slice(observed[1]), []);
      sender.send({ content: 'still here' });
      await observer.next((frame) => frame.content === 'still here');
    });

    it('closes with 1009 on a frame above the socket limit', async () => {
      const chat = await client(a, 'huge');
      chat.send(JSON.stringify({ content: 'z'.repeat(100_000) }));
      assert.equal((await chat.closed).code, 1009);
    });

    it('rate-limits a connection with error frames, without closing it', async () => {
      await createRoom('flood');
      const chat = await client(b, 'flooder');
      await join(chat, 'flood');
      await sleep(1100); // a full bucket again after the join
      for (let i = 0; i < 40; i++) chat.send({ room: 'flood', content: `f${i}` });
      await chat.until(() => (chat.messagesIn('flood').length + chat.errors().length >= 40 ? true : undefined), 5000, '40 answers');
      const limited = chat.errors().filter((frame) => frame.code === 'rate_limited').length;
      assert.ok(limited >= 15 && limited <= 21, `${limited} rate_limited errors`);
      assert.equal(chat.messagesIn('flood').length, 40 - limited);
      await sleep(1100);
      chat.send({ room: 'flood', content: 'calm again' });
      await chat.next((frame) => frame.content === 'calm again');
    });
  });

  describe('history', () => {
    it('pages through a room with after_seq and limit, or by next_cursor', async () => {
      await createRoom('hist');
      const chat = await client(a, 'historian');
      await join(chat, 'hist');
      for (let i = 1; i <= 7; i++) chat.send({ room: 'hist', content: `h${i}` });
      await chat.waitForMessages('hist', 7);
      const page = async (query: string, roles = ['robot']) => (await api('GET', `/rooms/hist/messages${query}`, { roles })).body;
      const first = await page('?limit=3');
      assert.deepEqual(Object.keys(first).sort(), ['items', 'next_cursor']);
      assert.deepEqual(seqs(first.items!), [1, 2, 3]);
      assert.deepEqual(first.items![0], chat.messagesIn('hist')[0], 'the same shape as on the socket');
      const second = await page(`?cursor=${first.next_cursor}&limit=3`);
      assert.deepEqual(seqs(second.items!), [4, 5, 6]);
      const last = await page(`?cursor=${second.next_cursor}&limit=3`, ['admin']);
      assert.deepEqual([seqs(last.items!), last.next_cursor], [[7], null], 'the last page says so');
      assert.deepEqual(seqs((await page('?after_seq=3&limit=3')).items!), [4, 5, 6]);
      assert.deepEqual(seqs((await page('?after_seq=7')).items!), []);
      assert.deepEqual(seqs((await page('')).items!), range(1, 7));
      assert.equal((await api('GET', '/rooms/hist/messages?cursor=bm9wZQ')).status, 400, 'a cursor we never gave out');
    });

    it('validates the query: 400; unknown room: 404', async () => {
      for (const query of ['after_seq=-1', 'after_seq=abc', 'after_seq=1.5', 'after_seq=', 'limit=0', 'limit=501', 'limit=1e2', 'foo=1']) {
        const { status, body } = await api('GET', `/rooms/hist/messages?${query}`);
        assert.equal(status, 400, `${query}: ${JSON.stringify(body)}`);
      }
      assert.equal((await api('GET', '/rooms/hist/messages?limit=500')).status, 200);
      const missing = await api('GET', '/rooms/nowhere/messages');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.code, 'unknown_room');
      assert.ok(missing.body.request_id, 'chat errors name the request like every other error');
      assert.equal((await api('GET', '/rooms/NOT%20A%20ROOM/messages')).status, 404);
    });

    it('needs a token (401) with a chat role (403)', async () => {
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      assert.equal((await api('GET', '/rooms/lobby/messages', { bearer: null })).status, 401);
      const forged = await signTestToken(realm, { sub: 'eve', roles: ['operator'], signWith: otherKey });
      assert.equal((await api('GET', '/rooms/lobby/messages', { bearer: forged })).status, 401);
      assert.equal((await api('GET', '/rooms/lobby/messages', { roles: ['drone'] })).status, 403);
      assert.equal((await api('GET', '/rooms', { roles: ['drone'] })).status, 403);
    });

    it('lets operators and admins create rooms, nobody else, once per name', async () => {
      assert.equal((await api('POST', '/rooms', { roles: ['robot'], body: { name: 'robots-room' } })).status, 403);
      const created = await api('POST', '/rooms', { roles: ['admin'], sub: 'root', body: { name: 'made-by-admin' } });
      assert.equal(created.status, 201);
      assert.deepEqual({ ...created.body, created_at: undefined }, { name: 'made-by-admin', last_seq: 0, created_at: undefined });
      const again = await api('POST', '/rooms', { body: { name: 'made-by-admin' } });
      assert.equal(again.status, 409);
      assert.equal(again.body.code, 'room_exists');
      for (const name of ['Bad Name', '', '-leading', 'x'.repeat(65), 7]) {
        assert.equal((await api('POST', '/rooms', { body: { name } })).status, 400, String(name));
      }
      const rooms = await api('GET', '/rooms', { roles: ['robot'] });
      assert.ok((rooms.body.items as unknown as Array<{ name: string }>).some((room) => room.name === 'made-by-admin'));
    });
  });

  describe('when a dependency fails (instance C only)', () => {
    it('keeps delivering across instances through Postgres while Redis is down for one of them', async () => {
      await createRoom('redis-down');
      const onA = await client(a, 'redis-a');
      const onC = await client(c, 'redis-c');
      await join(onA, 'redis-down');
      await join(onC, 'redis-down');
      await redisProxy.down();
      await sleep(100);
      onA.send({ room: 'redis-down', content: 'from A' });
      onC.send({ room: 'redis-down', content: 'from C' });
      await onC.next((frame) => frame.content === 'from C', 1000); // its own instance: at once
      await onC.next((frame) => frame.content === 'from A', 4000); // read from Postgres
      await onA.next((frame) => frame.content === 'from C', 4000); // A reads what C could not publish
      await redisProxy.up();
      await sleep(2500); // ioredis reconnects with back-off
      const before = Date.now();
      onA.send({ room: 'redis-down', content: 'after' });
      await onC.next((frame) => frame.content === 'after', 3000);
      assert.ok(Date.now() - before < 500, 'pub/sub again, not the reconcile period');
      for (const chat of [onA, onC]) assert.deepEqual(seqs(chat.messagesIn('redis-down')), [1, 2, 3]);
    });

    it('answers `unavailable` while Postgres is down, and works again after', async () => {
      const chat = await client(c, 'pg-down');
      await pgProxy.down();
      chat.send({ content: 'into the void' });
      const error = await chat.next((frame) => frame.type === 'error', 8000);
      assert.equal(error.code, 'unavailable');
      assert.equal(c.child.exitCode, null, 'the instance is still running');
      await pgProxy.up();
      const deadline = Date.now() + 10_000;
      for (let attempt = 0; ; attempt++) {
        const from = chat.frames.length;
        chat.send({ content: `back ${attempt}` });
        const answer = await chat.next((frame) => frame.type === 'error' || frame.content === `back ${attempt}`, 8000, from);
        if (answer.type !== 'error') break;
        assert.ok(Date.now() < deadline, 'storage came back');
        await sleep(500);
      }
    });

    it('closes its sockets with 1001 when the instance shuts down', async () => {
      const chat = await client(c, 'last-one');
      await c.stop();
      assert.equal((await chat.closed).code, 1001);
    });
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@fleet/testing';
import { ChatMessageEntity } from './chat-message.entity';
import { ChatMessageWriter } from './chat-message-writer';
import { ChatRoomEntity } from './chat-room.entity';
import { ChatRepository, NewMessage } from './chat.repository';
import { BASE_SCHEMA, baseDataSourceOptions } from '../database/base.datasource';

/** One base instance's store path: its own pool, repository and writer; counts the INSERT statements. */
interface Instance {
  dataSource: DataSource;
  writer: ChatMessageWriter;
  statements: number;
}

/**
 * Group commit of chat messages against real Postgres: the guarantees the chaos run checks
 * (acknowledged = stored with its seq, no seq gaps) must hold for messages stored together.
 */
describe(ChatMessageWriter.name, () => {
  let db: TestDatabase;
  const instances: Instance[] = [];

  async function newInstance(): Promise<Instance> {
    const dataSource = await new DataSource(baseDataSourceOptions(db.url)).initialize();
    const repository = new ChatRepository(dataSource, dataSource.getRepository(ChatRoomEntity), dataSource.getRepository(ChatMessageEntity));
    const instance: Instance = { dataSource, writer: new ChatMessageWriter(repository), statements: 0 };
    const append = repository.appendMessages.bind(repository);
    repository.appendMessages = (room: string, messages: NewMessage[]) => {
      instance.statements++;
      return append(room, messages);
    };
    instances.push(instance);
    return instance;
  }

  async function createRoom(name: string): Promise<void> {
    await instances[0].dataSource.query(`INSERT INTO "${BASE_SCHEMA}".room (name, created_by) VALUES ($1, 'test')`, [name]);
  }

  async function stored(room: string): Promise<Array<{ seq: number; content: string }>> {
    const rows: Array<{ seq: string; content: string }> = await instances[0].dataSource.query(`SELECT seq, content FROM "${BASE_SCHEMA}".message WHERE room = $1 ORDER BY seq`, [room]);
    return rows.map((row) => ({ seq: Number(row.seq), content: row.content }));
  }

  before(async () => {
    db = await createTestDatabase('base', 'svc_base', baseDataSourceOptions);
  });
  after(async () => {
    await Promise.all(instances.map((instance) => instance.dataSource.destroy()));
    await db?.drop();
  });

  it('stores what arrives during an append in one more statement, with consecutive seqs in arrival order, across two instances', async () => {
    const [a, b] = [await newInstance(), await newInstance()];
    await createRoom('burst');
    const sent = Array.from({ length: 60 }, (_, i) => ({ instance: i % 2 === 0 ? a : b, content: `m${i}` }));
    const results = await Promise.all(sent.map(({ instance, content }) => instance.writer.append('burst', { userId: 'u', content })));

    // Each instance: the first message goes alone and at once, the 29 that came during it together.
    assert.deepEqual([a.statements, b.statements], [2, 2]);
    results.forEach((message, i) => assert.equal(message?.content, sent[i].content, 'each caller gets back its own message'));
    const seqs = results.map((message) => message!.seq);
    assert.deepEqual([...seqs].sort((x, y) => x - y), Array.from({ length: 60 }, (_, i) => i + 1), 'seqs 1..60, each once');
    for (const instance of [a, b]) {
      const own = seqs.filter((_, i) => sent[i].instance === instance);
      assert.deepEqual(own, [...own].sort((x, y) => x - y), 'an instance stores in arrival order');
    }
    const rows = await stored('burst');
    assert.deepEqual(
      rows,
      results.map((message) => ({ seq: message!.seq, content: message!.content })).sort((x, y) => x.seq - y.seq),
      'every acknowledged message is stored with its seq',
    );
  });

  it('refuses only the message that fails on its own when a batch fails, and leaves no gap', async () => {
    const [a] = instances;
    await createRoom('poisoned');
    const first = a.writer.append('poisoned', { userId: 'u', content: 'first' });
    // Postgres text cannot hold NUL: the statement that carries it fails as a whole.
    const batch = ['x', 'bad\u0000', 'y'].map((content) => a.writer.append('poisoned', { userId: 'u', content }));
    assert.equal((await first)?.seq, 1);
    const settled = await Promise.allSettled(batch);
    assert.deepEqual(
      settled.map((result) => result.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    const after = await a.writer.append('poisoned', { userId: 'u', content: 'after' });
    assert.equal(after?.seq, 4);
    assert.deepEqual(await stored('poisoned'), [
      { seq: 1, content: 'first' },
      { seq: 2, content: 'x' },
      { seq: 3, content: 'y' },
      { seq: 4, content: 'after' },
    ]);
  });

  it('answers null for every message to a room that does not exist, and stores nothing', async () => {
    const [a] = instances;
    const results = await Promise.all(['p', 'q', 'r'].map((content) => a.writer.append('nowhere', { userId: 'u', content })));
    assert.deepEqual(results, [null, null, null]);
    assert.deepEqual(await stored('nowhere'), []);
  });
});

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { InvalidKeyError, ObjectStore, StoredObject } from '../src/object-store';

export interface StoreUnderTest {
  store: ObjectStore;
  /** The local folder the store's scratch lives in (to check nothing is left there). */
  scratch: string;
  stop(): Promise<void>;
}

async function collect(iterable: AsyncIterable<StoredObject>): Promise<StoredObject[]> {
  const all: StoredObject[] = [];
  for await (const object of iterable) all.push(object);
  return all.sort((a, b) => a.key.localeCompare(b.key));
}

async function text(stream: Readable | undefined): Promise<string | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A stream of `total` bytes in chunks of 1 MiB, never held whole: it fails after `failAfter` bytes when given. */
function generated(total: number, failAfter?: number): { stream: Readable; digest: () => string } {
  const hash = createHash('sha256');
  let sent = 0;
  const stream = new Readable({
    read() {
      if (failAfter !== undefined && sent >= failAfter) {
        this.destroy(new Error('the client went away'));
        return;
      }
      if (sent >= total) {
        this.push(null);
        return;
      }
      const chunk = Buffer.alloc(Math.min(1024 * 1024, total - sent), sent % 251);
      hash.update(chunk);
      sent += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, digest: () => hash.digest('hex') };
}

/** What every ObjectStore must do, run against each implementation. */
export function objectStoreContract(name: string, start: () => Promise<StoreUnderTest>): void {
  describe(`${name}: the ObjectStore contract`, () => {
    let sut: StoreUnderTest;
    let store: ObjectStore;
    before(async () => {
      sut = await start();
      store = sut.store;
      await store.probe();
    });
    after(() => sut?.stop());

    it('stores a buffer and gives it back whole, by range, as a stream and as a local file', async () => {
      await store.put('notes/a.txt', Buffer.from('hello, storage'));
      assert.equal((await store.read('notes/a.txt'))?.toString(), 'hello, storage');
      assert.equal(await text(await store.open('notes/a.txt')), 'hello, storage');
      assert.equal(await text(await store.open('notes/a.txt', { start: 7, end: 13 })), 'storage');
      const info = await store.stat('notes/a.txt');
      assert.equal(info?.size, 14);
      assert.ok(info && Math.abs(info.modifiedAt.getTime() - Date.now()) < 60_000, `modifiedAt ${info?.modifiedAt.toISOString()}`);
      const local = await store.localCopy('notes/a.txt');
      assert.ok(local);
      assert.equal(await readFile(local.path, 'utf8'), 'hello, storage');
      await local.release();
    });

    it('answers undefined for what is missing, and deletes without complaint', async () => {
      assert.equal(await store.stat('nothing/here'), undefined);
      assert.equal(await store.read('nothing/here'), undefined);
      assert.equal(await store.open('nothing/here'), undefined);
      assert.equal(await store.localCopy('nothing/here'), undefined);
      await store.put('gone/soon.txt', Buffer.from('x'));
      await store.delete('gone/soon.txt');
      await store.delete('gone/soon.txt');
      assert.equal(await store.stat('gone/soon.txt'), undefined);
    });

    it('refuses keys that could mean another place: .., absolute, empty segments, control characters', async () => {
      for (const key of ['../etc/passwd', 'a/../../b', '/etc/passwd', 'a//b', 'a\u0000b', 'a\\b', '', './a']) {
        await assert.rejects(store.put(key, Buffer.from('x')), InvalidKeyError, JSON.stringify(key));
        await assert.rejects(store.read(key), InvalidKeyError, JSON.stringify(key));
      }
    });

    it('lists by prefix, sub-folders included, and nothing of other prefixes', async () => {
      await store.put('listed/one', Buffer.from('1'));
      await store.put('listed/deeper/two', Buffer.from('22'));
      await store.put('listedx/not-this', Buffer.from('3'));
      const listed = await collect(store.list('listed/'));
      assert.deepEqual(
        listed.map((o) => [o.key, o.size]),
        [
          ['listed/deeper/two', 2],
          ['listed/one', 1],
        ],
      );
      assert.deepEqual(await collect(store.list('empty-prefix/')), []);
    });

    it('moves a finished scratch file in; with ifAbsent the object already there is kept', async () => {
      const first = await store.scratchFile();
      await writeFile(first, 'first bytes');
      await store.moveIn(first, 'files/abc');
      assert.equal(existsSync(first), false, 'the scratch file is gone');
      const second = await store.scratchFile();
      await writeFile(second, 'other bytes');
      await store.moveIn(second, 'files/abc', { ifAbsent: true });
      assert.equal(existsSync(second), false, 'the discarded file is gone too');
      assert.equal((await store.read('files/abc'))?.toString(), 'first bytes');
    });

    it('moves a finished folder in with its marker; the first writer wins', async () => {
      const dir = await store.scratchDir();
      await mkdir(path.join(dir, 'clips'));
      await writeFile(path.join(dir, 'audio.wav'), 'wav');
      await writeFile(path.join(dir, 'clips', '0.txt'), 'clip');
      await writeFile(path.join(dir, 'result.json'), '{"n":1}');
      await store.moveDirIn(dir, 'cache/stage/k1', 'result.json');
      assert.equal(existsSync(dir), false);
      assert.equal((await store.read('cache/stage/k1/audio.wav'))?.toString(), 'wav');
      assert.equal((await store.read('cache/stage/k1/clips/0.txt'))?.toString(), 'clip');
      assert.equal((await store.read('cache/stage/k1/result.json'))?.toString(), '{"n":1}');

      const late = await store.scratchDir();
      await writeFile(path.join(late, 'audio.wav'), 'late');
      await writeFile(path.join(late, 'result.json'), '{"n":2}');
      await store.moveDirIn(late, 'cache/stage/k1', 'result.json');
      assert.equal(existsSync(late), false);
      assert.equal((await store.read('cache/stage/k1/result.json'))?.toString(), '{"n":1}');
      assert.equal((await store.read('cache/stage/k1/audio.wav'))?.toString(), 'wav');
    });

    it('streams a body larger than an upload part without holding it, and gives the same bytes back', async () => {
      const body = generated(21 * 1024 * 1024);
      await store.put('big/streamed.bin', body.stream);
      assert.equal((await store.stat('big/streamed.bin'))?.size, 21 * 1024 * 1024);
      const hash = createHash('sha256');
      for await (const chunk of (await store.open('big/streamed.bin'))!) hash.update(chunk as Buffer);
      assert.equal(hash.digest('hex'), body.digest());
    });

    it('moves in a file larger than an upload part, byte for byte', async () => {
      const bytes = randomBytes(13 * 1024 * 1024);
      const file = await store.scratchFile();
      await writeFile(file, bytes);
      await store.moveIn(file, 'big/moved.bin');
      const local = await store.localCopy('big/moved.bin');
      assert.ok(local);
      assert.equal(sha(await readFile(local.path)), sha(bytes));
      await local.release();
    });

    it('a body that fails half way stores nothing and leaves no scratch behind', async () => {
      const before = await collect(store.list(''));
      await assert.rejects(store.put('broken/upload.bin', generated(20 * 1024 * 1024, 9 * 1024 * 1024).stream), /went away/);
      assert.equal(await store.stat('broken/upload.bin'), undefined);
      assert.deepEqual(
        (await collect(store.list(''))).map((o) => o.key),
        before.map((o) => o.key),
        'no new object, no scratch litter in the store',
      );
    });
  });
}

import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import { diskStorage } from 'multer';
import { FilesystemObjectStore } from '@fleet/storage';
import type { VisionConfig } from '../src/config/vision.config';
import { hwcToChw } from '../src/inference/letterbox';
import { AnnotatedMedia } from '../src/media/annotated-media';
import type { PendingAnnotations } from '../src/media/pending-annotations';
import { InlineOrDiskStorage } from '../src/predict/inline-or-disk-storage';

const NAME = `${'d'.repeat(64)}.jpg`;

/** Redis' announcements, in memory. */
class FakePending {
  readonly names = new Set<string>();
  announce = async (name: string) => void this.names.add(name);
  settle = async (name: string) => void this.names.delete(name);
  isPending = async (name: string) => this.names.has(name);
}

function media(waitMs: number) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vision-media-unit-'));
  const store = new FilesystemObjectStore(root, 'incoming');
  const pending = new FakePending();
  const config = { vision: { annotationWaitMs: waitMs } } as VisionConfig;
  const sut = new AnnotatedMedia(config, store, pending as unknown as PendingAnnotations);
  return { sut, store, pending, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

async function bodyOf(image: { body: Readable } | undefined): Promise<string> {
  assert.ok(image, 'an image');
  const chunks: Buffer[] = [];
  for await (const chunk of image.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe(AnnotatedMedia.name, () => {
  it('serves an announced image as soon as the worker stores it', async () => {
    const { sut, store, pending, cleanup } = media(5000);
    try {
      await pending.announce(NAME);
      setTimeout(() => void store.put(`annotated/${NAME}`, Buffer.from('jpeg')).then(() => pending.settle(NAME)), 80);
      const started = Date.now();
      assert.equal(await bodyOf(await sut.open(NAME)), 'jpeg');
      assert.ok(Date.now() - started < 1000, 'well before the wait bound');
    } finally {
      cleanup();
    }
  });

  it('answers none at once for a name nobody announced', async () => {
    const { sut, cleanup } = media(5000);
    try {
      const started = Date.now();
      assert.equal(await sut.open(NAME), undefined);
      assert.ok(Date.now() - started < 200);
    } finally {
      cleanup();
    }
  });

  it('gives up after the wait bound when the announcing worker never stores it (killed after answering)', async () => {
    const { sut, pending, cleanup } = media(300);
    try {
      await pending.announce(NAME);
      const started = Date.now();
      assert.equal(await sut.open(NAME), undefined);
      assert.ok(Date.now() - started >= 300, 'waited for it');
      assert.ok(Date.now() - started < 1500, 'but not past the bound');
    } finally {
      cleanup();
    }
  });

  it('finds an image stored just before its announcement was withdrawn', async () => {
    const { sut, store, pending, cleanup } = media(5000);
    try {
      // The worker's order: store, then settle. A reader whose first look missed must still find it.
      const isPending = pending.isPending;
      pending.isPending = async (name) => {
        await store.put(`annotated/${NAME}`, Buffer.from('late'));
        await pending.settle(name);
        return isPending(name);
      };
      assert.equal(await bodyOf(await sut.open(NAME)), 'late');
    } finally {
      cleanup();
    }
  });
});

describe(InlineOrDiskStorage.name, () => {
  const run = (storage: InlineOrDiskStorage, req: Request, data: Buffer) =>
    new Promise<Partial<Express.Multer.File>>((resolve, reject) => {
      const file = { fieldname: 'images', originalname: 'a.jpg' } as Express.Multer.File;
      // Several chunks, as busboy delivers a part.
      // As multer defines it.
      Object.defineProperty(file, 'stream', { configurable: true, enumerable: false, value: Readable.from([data.subarray(0, 1000), data.subarray(1000, 5000), data.subarray(5000)]) });
      storage._handleFile(req, file, (error, info) => (error ? reject(error) : resolve({ ...file, ...info })));
    });

  it('keeps photos in memory while the request budget lasts, then writes the rest to disk whole', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vision-upload-unit-'));
    try {
      const storage = new InlineOrDiskStorage(diskStorage({ destination: dir }), 20_000);
      const req = {} as Request;
      const photo = (n: number, size: number) => Buffer.alloc(size, n);
      const first = await run(storage, req, photo(1, 12_000));
      assert.deepEqual([first.path, first.size, first.buffer?.equals(photo(1, 12_000))], [undefined, 12_000, true]);
      const second = await run(storage, req, photo(2, 12_000));
      assert.equal(second.buffer, undefined, 'over what is left of the budget: on disk');
      assert.deepEqual(readFileSync(second.path!), photo(2, 12_000), 'the bytes read before the spill are in the file too');
      const third = await run(storage, req, photo(3, 8_000));
      assert.ok(third.buffer?.equals(photo(3, 8_000)), 'a later photo that still fits stays in memory');
      const otherRequest = await run(storage, {} as Request, photo(4, 12_000));
      assert.ok(otherRequest.buffer, 'the budget is per request');
      await new Promise<void>((resolve, reject) => storage._removeFile(req, second as Express.Multer.File, (error) => (error ? reject(error) : resolve())));
      assert.deepEqual(readdirSync(dir), [], 'a spilled photo is removed from disk');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('holds at most the process budget in memory across requests until each is answered, then lends it again', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vision-upload-unit-'));
    try {
      const storage = new InlineOrDiskStorage(diskStorage({ destination: dir }), 20_000, 30_000);
      const answered = () => {
        const res = new EventEmitter();
        return { req: { res } as unknown as Request, close: () => res.emit('close') };
      };
      const [a, b, c] = [answered(), answered(), answered()];
      assert.ok((await run(storage, a.req, Buffer.alloc(12_000, 1))).buffer);
      assert.ok((await run(storage, b.req, Buffer.alloc(12_000, 2))).buffer);
      assert.equal(storage.heldBytes, 24_000);
      const spilled = await run(storage, c.req, Buffer.alloc(12_000, 3));
      assert.equal(spilled.buffer, undefined, 'past the process budget: on disk, though the request had budget left');
      assert.deepEqual(readFileSync(spilled.path!), Buffer.alloc(12_000, 3));
      assert.equal(storage.heldBytes, 24_000, 'a spilled photo holds nothing');
      a.close();
      assert.equal(storage.heldBytes, 12_000, 'an answered request gives its bytes back');
      assert.ok((await run(storage, c.req, Buffer.alloc(12_000, 4))).buffer, 'and the next photo fits again');
      b.close();
      c.close();
      assert.equal(storage.heldBytes, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('letterbox tensor', () => {
  it('fills a reused tensor with the same values as dividing by 255', () => {
    const pixels = Buffer.from(Array.from({ length: 4 * 4 * 3 }, (_, i) => (i * 37) % 256));
    const reused = new Float32Array(3 * 16).fill(-1);
    const tensor = hwcToChw(pixels, 4, reused);
    assert.equal(tensor, reused);
    const expected = new Float32Array(3 * 16);
    for (let p = 0; p < 16; p++) for (let c = 0; c < 3; c++) expected[c * 16 + p] = pixels[p * 3 + c] / 255;
    assert.deepEqual(tensor, expected);
    assert.throws(() => hwcToChw(pixels, 4, new Float32Array(10)), /10 floats/);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FilesystemObjectStore } from '../src/filesystem-object-store';
import { objectStoreContract } from './object-store.contract';

function tempRoot(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'fs-store-'));
}

objectStoreContract('FilesystemObjectStore', async () => {
  const root = tempRoot();
  return { store: new FilesystemObjectStore(root, 'tmp'), scratch: path.join(root, 'tmp'), stop: async () => rmSync(root, { recursive: true, force: true }) };
});

describe(FilesystemObjectStore.name, () => {
  it('keeps the directory layout: a key is a path under the root, scratch a folder inside it', async () => {
    const root = tempRoot();
    try {
      const sut = new FilesystemObjectStore(root, 'incoming');
      await sut.put('annotated/x.jpg', Buffer.from('jpeg'));
      assert.equal((await stat(path.join(root, 'annotated', 'x.jpg'))).size, 4);
      assert.equal(path.dirname(await sut.scratchFile()), path.join(root, 'incoming'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('moves scratch in by rename (the same inode, nothing copied) and lends programs the stored file itself', async () => {
    const root = tempRoot();
    try {
      const sut = new FilesystemObjectStore(root, 'tmp');
      const file = await sut.scratchFile();
      await writeFile(file, 'upload');
      const inode = (await stat(file)).ino;
      await sut.moveIn(file, 'files/f1');
      assert.equal((await stat(path.join(root, 'files', 'f1'))).ino, inode);
      const local = await sut.localCopy('files/f1');
      assert.equal(local?.path, path.join(root, 'files', 'f1'));
      await local?.release();
      assert.equal((await stat(path.join(root, 'files', 'f1'))).ino, inode, 'release leaves the stored file');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('its probe fails when the directory cannot be made', async () => {
    const root = tempRoot();
    try {
      await writeFile(path.join(root, 'a-file'), '');
      await assert.rejects(new FilesystemObjectStore(path.join(root, 'a-file', 'store'), 'tmp').probe(), /ENOTDIR/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

import { randomUUID } from 'node:crypto';
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteRange, checkKey, checkPrefix, LocalFile, ObjectStore, StoredObject } from './object-store';

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

const missing = (error: unknown): boolean => ['ENOENT', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * A directory every process of the service mounts (a compose volume, a ReadWriteMany claim).
 * Keys are paths under it. Scratch is a folder inside it, so moving work in is a rename: no copy,
 * and atomic, so a reader never sees half a file and a killed writer leaves only scratch litter.
 */
export class FilesystemObjectStore implements ObjectStore {
  private readonly scratch: string;

  /** `scratch`: the folder of work in progress, relative to `root` (the translator's `tmp`, vision's `incoming`). */
  constructor(
    readonly root: string,
    scratch: string,
  ) {
    this.root = path.resolve(root);
    this.scratch = path.join(this.root, checkKey(scratch));
  }

  get location(): string {
    return this.root;
  }

  /** The absolute path of a key; checkKey refuses whatever could leave the root. */
  pathOf(key: string): string {
    return path.join(this.root, ...checkKey(key).split('/'));
  }

  async probe(): Promise<void> {
    await mkdir(this.scratch, { recursive: true });
    await access(this.root, constants.W_OK);
  }

  async scratchFile(): Promise<string> {
    await mkdir(this.scratch, { recursive: true });
    return path.join(this.scratch, randomUUID());
  }

  async scratchDir(): Promise<string> {
    const dir = path.join(this.scratch, randomUUID());
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async moveIn(localFile: string, key: string, options: { ifAbsent?: boolean } = {}): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    if (options.ifAbsent && (await exists(target))) {
      await rm(localFile, { force: true });
      return;
    }
    await rename(localFile, target);
  }

  /** rename() of a folder onto an existing non-empty folder fails: then the other writer won. */
  async moveDirIn(localDir: string, prefix: string, marker: string): Promise<void> {
    const target = this.pathOf(prefix);
    checkKey(marker);
    await mkdir(path.dirname(target), { recursive: true });
    if (await exists(target)) {
      await rm(localDir, { recursive: true, force: true });
      return;
    }
    try {
      await rename(localDir, target);
    } catch (error) {
      if (!(await exists(target))) throw error;
      await rm(localDir, { recursive: true, force: true });
    }
  }

  async put(key: string, body: Buffer | Readable): Promise<void> {
    const target = this.pathOf(key);
    const temp = await this.scratchFile();
    try {
      if (Buffer.isBuffer(body)) await writeFile(temp, body);
      else await pipeline(body, createWriteStream(temp));
      await mkdir(path.dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    const info = await stat(this.pathOf(key)).catch(() => undefined);
    return info?.isFile() ? { key, size: info.size, modifiedAt: info.mtime } : undefined;
  }

  async read(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  }

  async open(key: string, range?: ByteRange): Promise<Readable | undefined> {
    if (!(await this.stat(key))) return undefined;
    return createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  /** The stored file itself: nothing is copied, nothing is removed on release. */
  async localCopy(key: string): Promise<LocalFile | undefined> {
    if (!(await this.stat(key))) return undefined;
    return { path: this.pathOf(key), release: async () => undefined };
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    checkPrefix(prefix);
    yield* this.walk(prefix);
  }

  async close(): Promise<void> {}

  private async *walk(prefix: string): AsyncIterable<StoredObject> {
    const dir = prefix === '' ? this.root : this.pathOf(prefix.slice(0, -1));
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const key = `${prefix}${entry.name}`;
      if (entry.isDirectory()) yield* this.walk(`${key}/`);
      else if (entry.isFile()) {
        const object = await this.stat(key);
        if (object) yield object;
      }
    }
  }
}

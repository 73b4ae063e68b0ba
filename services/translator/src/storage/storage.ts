import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The API's Storage (workers build their own from their config). */
export const API_STORAGE = Symbol('API_STORAGE');

/**
 * The translator's shared storage directory (the API and every worker see the same one):
 *   files/<sha256>           uploads, addressed by content
 *   cache/<stage>/<key>/     one stage output, addressed by the hash of the stage's inputs
 *   tmp/                     work in progress; moved into place with rename(), so a reader
 *                            never sees half a file and a killed writer leaves only tmp litter
 * Only paths relative to the root cross RabbitMQ.
 */
export class Storage {
  constructor(readonly root: string) {}

  /** Absolute path of a storage-relative path; refuses anything that would leave the root. */
  resolve(relative: string): string {
    const absolute = path.resolve(this.root, relative);
    if (!absolute.startsWith(this.root + path.sep)) throw new Error(`Path ${relative} is outside the storage directory`);
    return absolute;
  }

  relative(absolute: string): string {
    return path.relative(this.root, absolute);
  }

  async tmpDir(): Promise<string> {
    const dir = path.join(this.root, 'tmp', randomUUID());
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async tmpFile(): Promise<string> {
    await mkdir(path.join(this.root, 'tmp'), { recursive: true });
    return path.join(this.root, 'tmp', randomUUID());
  }

  fileOf(sha256: string): string {
    return `files/${sha256}`;
  }

  cacheDirOf(stage: string, key: string): string {
    return `cache/${stage}/${key}`;
  }

  /** Moves a finished file or folder into place; when a concurrent writer won, keeps theirs. */
  async publish(from: string, relative: string): Promise<void> {
    const target = this.resolve(relative);
    await mkdir(path.dirname(target), { recursive: true });
    if (await exists(target)) {
      await rm(from, { recursive: true, force: true });
      return;
    }
    try {
      await rename(from, target);
    } catch (error) {
      // rename() of a folder onto an existing non-empty folder fails: the other writer won.
      if (!(await exists(target))) throw error;
      await rm(from, { recursive: true, force: true });
    }
  }
}

export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export function sha256Hex(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

export async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

import type { Readable } from 'node:stream';

/** One stored object. Keys are `/`-separated relative names (`files/<sha256>`, `annotated/<name>.jpg`). */
export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** A byte range of an object, both ends included (HTTP's `bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** A file on local disk holding an object's bytes, for programs that only read files (ffmpeg, pocketsphinx). */
export interface LocalFile {
  path: string;
  /** Gives the file back: a downloaded copy is removed; the filesystem store's own file is left alone. */
  release(): Promise<void>;
}

/**
 * The files a service shares between its API and its workers, wherever they live: a directory
 * every process mounts (ReadWriteMany volume, compose volume) or an S3-compatible bucket.
 *
 * Two rules hold for every implementation:
 * - a reader never sees part of an object: writes are built aside (local scratch) and appear whole;
 * - only keys cross RabbitMQ, never local paths: a local path means something on one machine only.
 *
 * Work in progress (an upload being received, a stage's output being made) is written to local
 * scratch first and moved in when finished. For the filesystem store the scratch folder is inside
 * its directory, so moving in is a rename; for a bucket it is a streamed upload.
 */
export interface ObjectStore {
  /** Where the objects are, for logs and error messages (`/data/translator`, `s3://bucket/translator/`). */
  readonly location: string;
  /** Resolves when the store can be used (a readiness probe); creates the local folders it needs. */
  probe(): Promise<void>;

  /** A fresh path in local scratch for a file in progress (not created). */
  scratchFile(): Promise<string>;
  /** A fresh, empty folder in local scratch. */
  scratchDir(): Promise<string>;

  /**
   * Moves a finished local file in under `key`; the local file is gone afterwards, stored or not.
   * `ifAbsent`: an existing object is kept and this file discarded (content-addressed keys, where
   * a concurrent writer stored the same bytes).
   */
  moveIn(localFile: string, key: string, options?: { ifAbsent?: boolean }): Promise<void>;
  /**
   * Moves a finished local folder in under `prefix/` (its files, sub-folders included). The first
   * writer wins: when `prefix/<marker>` already exists the folder is discarded. Readers take the
   * folder as complete once the marker exists; it is the last object to appear.
   */
  moveDirIn(localDir: string, prefix: string, marker: string): Promise<void>;
  /** Stores bytes (a buffer, or a stream read to its end); the object appears whole or not at all. */
  put(key: string, body: Buffer | Readable): Promise<void>;

  stat(key: string): Promise<StoredObject | undefined>;
  /** The whole object in memory: for small ones (JSON, an image to decode anyway). */
  read(key: string): Promise<Buffer | undefined>;
  /** The object (or a range of it) as a stream. */
  open(key: string, range?: ByteRange): Promise<Readable | undefined>;
  /** The object as a local file; undefined when there is no such object. */
  localCopy(key: string): Promise<LocalFile | undefined>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` (empty, or ending with `/`). */
  list(prefix: string): AsyncIterable<StoredObject>;
  /** Releases connections (the S3 client's sockets). */
  close(): Promise<void>;
}

/** Refuses a key that could mean something else than one object of the store (`..`, absolute, control characters). */
export function keyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > 1024) return 'a key has 1 to 1024 characters';
  if (/[\x00-\x1f\\]/.test(key)) return 'control characters and backslashes are refused in keys';
  if (key.startsWith('/')) return 'a key is relative (no leading /)';
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) return 'empty, "." and ".." segments are refused in keys';
  return undefined;
}

export class InvalidKeyError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid storage key ${JSON.stringify(key)}: ${problem}`);
    this.name = 'InvalidKeyError';
  }
}

export function checkKey(key: string): string {
  const problem = keyProblem(key);
  if (problem) throw new InvalidKeyError(key, problem);
  return key;
}

/** A prefix is empty or ends with `/`, and what it holds are valid keys. */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  if (!prefix.endsWith('/')) throw new InvalidKeyError(prefix, 'a prefix ends with /');
  checkKey(prefix.slice(0, -1));
  return prefix;
}

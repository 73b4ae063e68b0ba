import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';

/** s3rver's fixed credentials (it checks the access key id only). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | NodeJS.ReadableStream;
  metadata: Record<string, string>;
}

interface FilesystemStoreInternals {
  getResourcePath(bucket: string, key: string, kind: 'object'): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
}

let madeAtomic = false;

/**
 * s3rver 3.7's PUT answers before the object's bytes are on its disk: its store resolves when the
 * body has been handed to the file's write stream (a Buffer) or has passed its md5 transform (a
 * stream), not when the file is written. A GET right after a PUT can then read an empty or short
 * file under a stated length, and the reader waits for bytes that never come (vision's
 * "serves its annotated image" test did, once, in a loaded CI run). S3 itself never shows a
 * partial object. This makes the store's PUT wait for its file, as S3's does.
 */
function makePutAtomic(): void {
  if (madeAtomic) return;
  madeAtomic = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const FilesystemStore = require('s3rver/lib/stores/filesystem') as { prototype: FilesystemStoreInternals };
  FilesystemStore.prototype.putObject = async function (this: FilesystemStoreInternals, object: StoredObject) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(path.dirname(objectPath), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
    await pipeline(source as AsyncIterable<Buffer>, counted, createWriteStream(objectPath));
    const digest = md5.digest('hex');
    await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}

export interface S3Server {
  endpoint: string;
  stop(): Promise<void>;
}

/** An S3-compatible server on loopback (s3rver: the S3 REST API over HTTP, objects under `directory`), with `buckets` made. */
export async function startS3Server(directory: string, buckets: string[]): Promise<S3Server> {
  makePutAtomic();
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name, configs: [] })) });
  const { port } = await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ByteRange, checkKey, checkPrefix, LocalFile, ObjectStore, StoredObject } from './object-store';

export interface S3Settings {
  /** An S3-compatible server (MinIO, Ceph RGW, Garage, R2...); unset: AWS's own endpoint for the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Prepended to every key (`vision/`), so services can share a bucket. */
  prefix: string;
  /** `http://host/bucket/key` instead of `http://bucket.host/key`: what MinIO-like servers expect. */
  forcePathStyle: boolean;
  /** Unset: the SDK's default chain (AWS_* variables, web identity on EKS, instance profiles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Parts of 8 MiB, 4 in flight: an upload holds at most 32 MiB in memory, whatever the file's size
 * (up to 80 GB with S3's 10,000 parts); anything smaller than a part goes in one PUT.
 */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

function notFound(error: unknown): boolean {
  return error instanceof S3ServiceException && (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey' || error.name === 'NotFound');
}

export function s3ClientOf(settings: S3Settings): S3Client {
  return new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    // Checksums only where S3 requires them: the newer default (CRC32 on every request, in
    // aws-chunked trailers for streams) is refused by several S3-compatible servers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * A bucket (and key prefix) of an S3-compatible server. Work in progress stays in local scratch
 * (the pod's own disk) and is uploaded when finished; programs that read files get a download
 * into scratch. A PUT is atomic on S3: readers see the old object or the new one.
 */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly settings: Pick<S3Settings, 'bucket' | 'prefix'>,
    /** Local scratch: uploads being received, stage outputs being made, downloads for programs. */
    private readonly scratch: string,
  ) {
    checkPrefix(settings.prefix);
    this.location = `s3://${settings.bucket}/${settings.prefix}`;
  }

  async probe(): Promise<void> {
    await mkdir(this.scratch, { recursive: true });
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
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
    checkKey(key);
    try {
      if (options.ifAbsent && (await this.stat(key))) return;
      await this.upload(key, createReadStream(localFile));
    } finally {
      await rm(localFile, { force: true });
    }
  }

  /**
   * S3 has no rename: the files go up one by one and the marker last, so a reader that finds the
   * marker finds the rest. Two writers racing past the marker check both upload; the keys of such
   * folders hash their inputs, so both write the same output and either marker is right.
   */
  async moveDirIn(localDir: string, prefix: string, marker: string): Promise<void> {
    checkKey(prefix);
    checkKey(marker);
    try {
      if (await this.stat(`${prefix}/${marker}`)) return;
      const files = await filesUnder(localDir);
      for (const file of files.filter((name) => name !== marker)) await this.upload(`${prefix}/${file}`, createReadStream(path.join(localDir, ...file.split('/'))));
      if (files.includes(marker)) await this.upload(`${prefix}/${marker}`, createReadStream(path.join(localDir, marker)));
    } finally {
      await rm(localDir, { recursive: true, force: true });
    }
  }

  async put(key: string, body: Buffer | Readable): Promise<void> {
    await this.upload(checkKey(key), body);
  }

  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
      return { key, size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async read(key: string): Promise<Buffer | undefined> {
    const body = await this.open(key);
    if (!body) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async open(key: string, range?: ByteRange): Promise<Readable | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      // In Node the SDK's body is the HTTP response itself: a Readable.
      return object.Body as Readable;
    } catch (error) {
      if (notFound(error)) return undefined;
      throw error;
    }
  }

  async localCopy(key: string): Promise<LocalFile | undefined> {
    const body = await this.open(key);
    if (!body) return undefined;
    const file = path.join(await this.scratchDir(), path.posix.basename(key));
    const release = () => rm(path.dirname(file), { recursive: true, force: true });
    try {
      await pipeline(body, createWriteStream(file));
    } catch (error) {
      await release();
      throw error;
    }
    return { path: file, release };
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.keyOf(key) }));
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    checkPrefix(prefix);
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.settings.bucket, Prefix: this.settings.prefix + prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        yield { key: object.Key.slice(this.settings.prefix.length), size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  private keyOf(key: string): string {
    return this.settings.prefix + checkKey(key);
  }

  /**
   * One PUT for what fits a part, a multipart upload beyond (aborted if the body fails). When the
   * body failed, that is the error to report, not what the server said to the abort.
   */
  private async upload(key: string, body: Buffer | Readable): Promise<void> {
    let bodyError: Error | undefined;
    if (!Buffer.isBuffer(body)) body.once('error', (error) => (bodyError = error));
    try {
      await new Upload({ client: this.client, params: { Bucket: this.settings.bucket, Key: this.keyOf(key), Body: body }, partSize: PART_BYTES, queueSize: PARTS_IN_FLIGHT }).done();
    } catch (error) {
      throw bodyError ?? error;
    }
  }
}

/** The files under a folder, as `/`-separated paths relative to it. */
async function filesUnder(dir: string, relative = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return filesUnder(dir, name);
      return Promise.resolve(entry.isFile() ? [name] : []);
    }),
  );
  return nested.flat();
}

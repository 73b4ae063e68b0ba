import busboy from 'busboy';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Request } from 'express';
import type { ObjectStore } from '@fleet/storage';
import { UploadError } from './upload-error';

export interface ReceivedFile {
  tmpPath: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** Room for the multipart framing around the file when comparing Content-Length to the limit. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Streams the multipart field `file` to a scratch file of the storage, hashing as it goes: memory holds
 * one chunk, never the file. An upload that announces more than `maxBytes` is refused before a
 * byte is read; one that turns out bigger while streaming (chunked, or a lying Content-Length)
 * is stopped at the limit and its partial file deleted, so an oversize upload cannot fill the disk.
 */
export async function receiveUpload(req: Request, storage: ObjectStore, maxBytes: number): Promise<ReceivedFile> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) throw new UploadError(400, 'Send the file as multipart/form-data in the field "file"');
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw new UploadError(413, `The upload is ${declared} bytes; the limit is ${maxBytes} bytes`);

  const tmpPath = await storage.scratchFile();
  let parser: ReturnType<typeof busboy>;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 10, parts: 12 } });
  } catch (error) {
    throw new UploadError(400, `Malformed multipart request: ${(error as Error).message}`);
  }
  let received: Promise<ReceivedFile> | undefined;
  const done = new Promise<ReceivedFile>((resolve, reject) => {
    const fail = (error: UploadError) => {
      req.unpipe(parser);
      reject(error);
    };
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || received) {
        stream.resume();
        return;
      }
      received = new Promise<ReceivedFile>((resolveFile, rejectFile) => {
        const hash = createHash('sha256');
        const out = createWriteStream(tmpPath);
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          hash.update(chunk);
        });
        stream.on('limit', () => {
          stream.unpipe(out);
          out.destroy();
          rejectFile(new UploadError(413, `The file is larger than the limit of ${maxBytes} bytes`));
        });
        stream.pipe(out);
        out.on('error', (error) => rejectFile(new UploadError(500, `Cannot store the upload: ${error.message}`)));
        out.on('finish', () => {
          if (stream.truncated) return;
          resolveFile({ tmpPath, filename: info.filename || 'upload', contentType: info.mimeType || 'application/octet-stream', size, sha256: hash.digest('hex') });
        });
      });
      received.catch((error: UploadError) => fail(error));
    });
    parser.on('error', (error) => fail(new UploadError(400, `Malformed multipart request: ${error.message}`)));
    parser.on('close', () => {
      if (!received) fail(new UploadError(400, 'No file in the field "file"'));
      else received.then(resolve, reject);
    });
    req.on('aborted', () => fail(new UploadError(400, 'The client aborted the upload')));
    req.pipe(parser);
  });
  try {
    return await done;
  } catch (error) {
    await rm(tmpPath, { force: true });
    throw error;
  }
}

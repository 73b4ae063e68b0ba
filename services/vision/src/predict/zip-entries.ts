import { pipeline, Readable, Transform } from 'node:stream';
import yauzl from 'yauzl';

export interface ZipBounds {
  maxEntries: number;
  maxTotalBytes: number;
  /** Uncompressed/compressed of one entry above which it is a bomb. */
  maxRatio: number;
  /** Largest single entry that is extracted (bigger ones are reported, not extracted). */
  maxEntryBytes: number;
}

/** The ZIP as a whole is refused (nothing was extracted); `status` is the HTTP status to answer. */
export class ZipRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type ZipEntryVisit = { name: string; key: string } | { name: string; error: { reason: string; message: string } };

/** A name that must never be written anywhere: absolute, a drive, `..`, or control characters. */
export function unsafeEntryName(name: string): string | undefined {
  if (/^([/\\]|[A-Za-z]:)/.test(name)) return 'absolute paths are refused';
  if (name.split(/[/\\]/).includes('..')) return '".." in entry names is refused';
  if (/[\x00-\x1f]/.test(name)) return 'control characters in entry names are refused';
  return undefined;
}

function open(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    // decodeStrings: false so that an unsafe name is reported for its entry instead of failing the whole archive.
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true }, (error, zip) => (error || !zip ? reject(error) : resolve(zip))),
  );
}

function decodeName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return raw.toString((entry.generalPurposeBitFlag & 0x800) !== 0 ? 'utf8' : 'latin1');
}

/** Reads the central directory (no data yet) and refuses the archive when it breaks a bound. */
async function listEntries(file: string, bounds: ZipBounds): Promise<yauzl.Entry[]> {
  let zip: yauzl.ZipFile;
  try {
    zip = await open(file);
  } catch (error) {
    throw new ZipRefused(400, `The file is not a readable ZIP archive: ${(error as Error).message}`);
  }
  if (zip.entryCount > bounds.maxEntries) {
    zip.close();
    throw new ZipRefused(413, `The ZIP has ${zip.entryCount} entries; at most ${bounds.maxEntries} are accepted`);
  }
  const entries: yauzl.Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', (error: Error) => reject(new ZipRefused(400, `The ZIP archive is corrupt: ${error.message}`)));
    zip.readEntry();
  });
  zip.close();
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (ratio > bounds.maxRatio) {
      throw new ZipRefused(422, `Refused as a ZIP bomb: entry "${decodeName(entry)}" expands ${Math.round(ratio)}x (at most ${bounds.maxRatio}x is accepted)`);
    }
  }
  if (total > bounds.maxTotalBytes) throw new ZipRefused(413, `Refused as a ZIP bomb: it expands to ${total} bytes; at most ${bounds.maxTotalBytes} are accepted`);
  return entries;
}

/** Counts bytes as they stream and stops past `limit` (declared sizes are the archive's claim, not a fact). */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      callback(seen > limit ? new Error(`entry data exceeds its declared ${limit} bytes`) : null, chunk);
    },
  });
}

/**
 * Streams a ZIP from disk entry by entry: bounds checked on the central directory first (count,
 * total size, ratio), then each file entry streamed to `store` (which answers the key it stored
 * it under, and stores nothing when the data fails) one at a time and handed to `visit` (which
 * may wait, giving back-pressure). Nothing is ever held whole in memory.
 */
export async function forEachZipEntry(file: string, bounds: ZipBounds, store: (data: Readable) => Promise<string>, visit: (entry: ZipEntryVisit) => Promise<void>): Promise<void> {
  const entries = await listEntries(file, bounds);
  const zip = await open(file);
  try {
    for (const entry of entries) {
      const name = decodeName(entry);
      if (name.endsWith('/')) continue;
      const unsafe = unsafeEntryName(name);
      if (unsafe) {
        await visit({ name, error: { reason: 'unsafe_name', message: unsafe } });
        continue;
      }
      if (entry.uncompressedSize > bounds.maxEntryBytes) {
        await visit({ name, error: { reason: 'too_large', message: `The entry is ${entry.uncompressedSize} bytes; at most ${bounds.maxEntryBytes} are accepted per image` } });
        continue;
      }
      let key: string;
      let data: Readable | undefined;
      try {
        const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, s) => (error || !s ? reject(error) : resolve(s))));
        // A failure of the entry's data ends in the limiter, so `store` sees it as its body failing.
        data = pipeline(stream, byteLimit(entry.uncompressedSize), () => undefined);
        key = await store(data);
      } catch (error) {
        // And a failure of the store leaves nothing of the entry open.
        data?.destroy();
        await visit({ name, error: { reason: 'corrupt_entry', message: `The entry cannot be extracted: ${(error as Error).message}` } });
        continue;
      }
      await visit({ name, key });
    }
  } finally {
    zip.close();
  }
}

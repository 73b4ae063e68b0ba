import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';

/**
 * The layout of the shared media storage, one place for both sides:
 * - `incoming/`: uploads and ZIP entries while they are being detected (random names, removed after use);
 * - `annotated/`: annotated JPEGs, named by the sha256 of what produced them (image, model, params),
 *   so the same request writes the same file and `GET /media/{name}` can only ever reach these.
 */
export const INCOMING = 'incoming';
export const ANNOTATED = 'annotated';
/** The only names `GET /vision_api/media/{filename}` serves. */
export const ANNOTATED_NAME = /^[a-f0-9]{64}\.jpg$/;

/** A fresh key under incoming/ for one upload or ZIP entry. */
export function newIncomingPath(): string {
  return `${INCOMING}/${randomUUID()}.upload`;
}

/** The key under incoming/ of an upload multer wrote to the scratch folder (which is incoming/ of VISION_MEDIA_DIR). */
export function incomingKeyOf(scratchFile: string): string {
  return `${INCOMING}/${path.basename(scratchFile)}`;
}

export function annotatedName(cacheKey: string): string {
  return `${createHash('sha256').update(cacheKey).digest('hex')}.jpg`;
}

export function annotatedKey(name: string): string {
  return `${ANNOTATED}/${name}`;
}

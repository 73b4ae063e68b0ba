import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The layout of the shared media directory, one place for both sides:
 * - `incoming/`: uploads and ZIP entries while they are being detected (random names, removed after use);
 * - `annotated/`: annotated JPEGs, named by the sha256 of what produced them (image, model, params),
 *   so the same request writes the same file and `GET /media/{name}` can only ever reach these.
 */
export const INCOMING = 'incoming';
export const ANNOTATED = 'annotated';
/** The only names `GET /vision_api/media/{filename}` serves. */
export const ANNOTATED_NAME = /^[a-f0-9]{64}\.jpg$/;

export function ensureMediaDirs(mediaDir: string): void {
  for (const dir of [INCOMING, ANNOTATED]) mkdirSync(path.join(mediaDir, dir), { recursive: true });
}

/** A fresh relative path under incoming/ for one upload or ZIP entry. */
export function newIncomingPath(): string {
  return `${INCOMING}/${randomUUID()}.upload`;
}

export function annotatedName(cacheKey: string): string {
  return `${createHash('sha256').update(cacheKey).digest('hex')}.jpg`;
}

/**
 * The absolute path of `relative` inside `mediaDir`, or undefined when it would leave it (`..`,
 * absolute paths, NUL bytes): the worker resolves every path it is sent through this.
 */
export function insideMediaDir(mediaDir: string, relative: string): string | undefined {
  if (relative.includes('\0') || path.isAbsolute(relative)) return undefined;
  const resolved = path.resolve(mediaDir, relative);
  return resolved.startsWith(mediaDir + path.sep) ? resolved : undefined;
}

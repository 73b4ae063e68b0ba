import { createHash } from 'node:crypto';
import { createObjectStore, ObjectStore } from '@fleet/storage';
import type { TranslatorConfig } from '../config/translator.config';

/** The API's store (workers build their own from their config). */
export const API_STORAGE = Symbol('API_STORAGE');

/**
 * The translator's shared storage (the API and every worker see the same one), a directory or a
 * bucket (STORAGE_BACKEND):
 *   files/<sha256>                uploads, addressed by content
 *   cache/<stage>/<key>/          one stage's output, addressed by the hash of the stage's inputs;
 *                                 its result.json appears last, so a folder with one is complete
 *   tmp/ (of TRANSLATOR_STORAGE_DIR)  work in progress, moved in when finished: a reader never
 *                                 sees half a file and a killed writer leaves only tmp litter
 * Only keys cross RabbitMQ.
 */
export function translatorStore(config: TranslatorConfig): ObjectStore {
  return createObjectStore(config.storage, { root: config.storageDir, scratch: 'tmp' });
}

export function uploadKey(sha256: string): string {
  return `files/${sha256}`;
}

export function stageDirKey(stage: string, key: string): string {
  return `cache/${stage}/${key}`;
}

/** Written last into a stage's folder: its presence means the folder is complete. */
export const STAGE_RESULT = 'result.json';

export function sha256Hex(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

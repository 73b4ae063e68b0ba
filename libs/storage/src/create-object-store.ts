import path from 'node:path';
import { FilesystemObjectStore } from './filesystem-object-store';
import { ObjectStore } from './object-store';
import type { StorageSettings } from './storage-env';

export interface LocalStorageDirs {
  /** The service's directory: the store itself with `fs`, only local scratch with `s3`. */
  root: string;
  /** Work in progress, relative to root (`tmp`). */
  scratch: string;
}

/** The store the settings name. */
export function createObjectStore(settings: StorageSettings, local: LocalStorageDirs): ObjectStore {
  if (settings.backend === 'fs') return new FilesystemObjectStore(local.root, local.scratch);
  // The AWS SDK takes about as long to load as a fifth of Nest: only a service on a bucket pays for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { S3ObjectStore, s3ClientOf } = require('./s3-object-store') as typeof import('./s3-object-store');
  return new S3ObjectStore(s3ClientOf(settings.s3), settings.s3, path.join(local.root, local.scratch));
}

/** Where the files are, for the "listening" line. */
export function describeStorage(settings: StorageSettings, root: string): string {
  if (settings.backend === 'fs') return root;
  const { bucket, prefix, endpoint } = settings.s3;
  return `s3://${bucket}/${prefix}${endpoint ? ` at ${endpoint}` : ''}`;
}

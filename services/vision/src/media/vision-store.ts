import path from 'node:path';
import { createObjectStore, ObjectStore } from '@fleet/storage';
import type { VisionConfig } from '../config/vision.config';
import { INCOMING } from './media-paths';

/** The media storage, shared by the HTTP instances and the workers (media-paths.ts has its layout). */
export const VISION_STORE = Symbol('VISION_STORE');

/**
 * VISION_MEDIA_DIR with the filesystem backend, a bucket with s3. Scratch is incoming/ of
 * VISION_MEDIA_DIR: on a shared directory an upload multer wrote there already is in place.
 */
export function visionStore(config: VisionConfig): ObjectStore {
  return createObjectStore(config.vision.storage, { root: config.vision.mediaDir, scratch: INCOMING });
}

/** Where uploads are written as they arrive (before any provider exists: multer's options are made at load). */
export function uploadScratchDir(vision: VisionConfig['vision']): string {
  return path.join(vision.mediaDir, INCOMING);
}

import type { FileInterceptor } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { diskStorage } from 'multer';
import { loadVisionConfig } from '../config/vision.config';
import { uploadScratchDir } from '../media/vision-store';
import { InlineOrDiskStorage } from './inline-or-disk-storage';

type MulterOptions = NonNullable<Parameters<typeof FileInterceptor>[1]>;

/**
 * Uploads stream to disk under random names (the client's file name is kept only as a label),
 * except photos within the request's inline budget (VISION_INLINE_IMAGE_BYTES), which stay in
 * memory and travel inside the RPC message. Multer removes a partial file when a limit is hit. The
 * folder is the media store's scratch: with the shared directory the file is already in place,
 * with a bucket the predict service uploads it (a ZIP stays here: only this instance reads it).
 */
export function uploadOptions(kind: 'image' | 'images' | 'zip'): MulterOptions {
  const { vision } = loadVisionConfig();
  const destination = uploadScratchDir(vision);
  mkdirSync(destination, { recursive: true });
  const disk = diskStorage({
    destination,
    filename: (_req, _file, done) => done(null, `${randomUUID()}.upload`),
  });
  const storage = kind === 'zip' || vision.inlineImageBytes === 0 ? disk : new InlineOrDiskStorage(disk, vision.inlineImageBytes);
  const fileSize = kind === 'zip' ? vision.maxZipBytes : vision.maxImageBytes;
  const files = kind === 'images' ? vision.maxBatchImages : 1;
  return { storage, limits: { fileSize, files, fields: 10, fieldSize: 1024, parts: files + 10 } };
}

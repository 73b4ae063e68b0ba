import type { FileInterceptor } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { diskStorage } from 'multer';
import { loadVisionConfig } from '../config/vision.config';
import { ensureMediaDirs, INCOMING } from '../media/media-paths';

type MulterOptions = NonNullable<Parameters<typeof FileInterceptor>[1]>;

/**
 * Uploads stream straight to the shared storage (never into memory), under random names: the
 * client's file name is kept only as a label. Multer removes a partial file when a limit is hit.
 */
export function uploadOptions(kind: 'image' | 'images' | 'zip'): MulterOptions {
  const { vision } = loadVisionConfig();
  ensureMediaDirs(vision.mediaDir);
  const storage = diskStorage({
    destination: path.join(vision.mediaDir, INCOMING),
    filename: (_req, _file, done) => done(null, `${randomUUID()}.upload`),
  });
  const fileSize = kind === 'zip' ? vision.maxZipBytes : vision.maxImageBytes;
  const files = kind === 'images' ? vision.maxBatchImages : 1;
  return { storage, limits: { fileSize, files, fields: 10, fieldSize: 1024, parts: files + 10 } };
}

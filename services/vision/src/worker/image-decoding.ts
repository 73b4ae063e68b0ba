import sharp from 'sharp';
import type { Metadata, Sharp, SharpOptions } from 'sharp';
import { ImageRejection, RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';

/** Formats decoded for detection; anything else (by content, whatever the file name) is refused. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif', 'heif']);

export interface CheckedImage {
  /** A pipeline on the bytes, auto-oriented (EXIF), that fails on truncated data. */
  open(): Sharp;
  width: number;
  height: number;
  format: string;
  /** The decoded RGB pixels (width x height x 3), when the image was decoded up front. */
  pixels?: Buffer;
}

function reject(reason: ImageRejection, message: string): RpcError {
  return new RpcError(RpcErrorCode.InvalidParams, message, { reason });
}

/**
 * Sniffs the bytes (sharp reads the header, not the name), refuses huge dimensions before any
 * pixel is decoded, and makes later decoding fail on truncated data instead of inventing grey.
 */
export async function checkImage(bytes: Buffer, maxSide: number): Promise<CheckedImage> {
  const options: SharpOptions = { failOn: 'truncated', limitInputPixels: maxSide * maxSide, sequentialRead: true };
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { ...options, limitInputPixels: false }).metadata();
  } catch {
    throw reject(ImageRejection.NotAnImage, 'The file is not an image (its content is not a known image format)');
  }
  const format = metadata.format ?? 'unknown';
  if (!ACCEPTED_FORMATS.has(format)) throw reject(ImageRejection.NotAnImage, `Unsupported image format: ${format}`);
  const rotated = (metadata.orientation ?? 1) >= 5;
  const width = rotated ? metadata.height : metadata.width;
  const height = rotated ? metadata.width : metadata.height;
  if (!width || !height) throw reject(ImageRejection.NotAnImage, 'The image has no dimensions');
  if (width > maxSide || height > maxSide) {
    throw reject(ImageRejection.TooLarge, `The image is ${width}x${height}; at most ${maxSide} pixels per side are accepted`);
  }
  return { open: () => sharp(bytes, { ...options, pages: 1 }).rotate(), width, height, format };
}

/** Decoding errors of a checked image are the image's fault (truncated or corrupt), never retried. */
export async function decodingOf<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RpcError) throw error;
    throw reject(ImageRejection.Truncated, `The image data is truncated or corrupt: ${(error as Error).message.split('\n')[0]}`);
  }
}

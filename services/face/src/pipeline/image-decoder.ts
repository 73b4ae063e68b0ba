import sharp from 'sharp';
import { FaceRejection } from '@fleet/contracts';
import { RgbImage } from './geometry';

/** An image the pipeline refuses, with the reason a caller can act on. */
export class ImageRejectedError extends Error {
  constructor(
    readonly reason: FaceRejection,
    message: string,
  ) {
    super(message);
  }
}

export interface DecodedImage extends RgbImage {
  /** The whole photo squeezed to the detector's 320x240 input, RGB. */
  detectorInput: Uint8Array;
}

export const DETECTOR_WIDTH = 320;
export const DETECTOR_HEIGHT = 240;

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);

/**
 * Decodes JPEG, PNG or WebP with sharp, turned upright by its EXIF orientation, to RGB. The pixel
 * limit is checked from the header before any pixel is decoded, so a 50-megapixel bomb costs
 * nothing; a truncated or corrupt file fails decoding with a clear reason instead of garbage.
 */
export async function decodeImage(bytes: Buffer, maxPixels: number): Promise<DecodedImage> {
  let metadata: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    metadata = await sharp(bytes).metadata();
  } catch {
    throw new ImageRejectedError(FaceRejection.NotAnImage, 'The data is not a JPEG, PNG or WebP image');
  }
  if (!metadata.format || !ACCEPTED_FORMATS.has(metadata.format)) {
    throw new ImageRejectedError(FaceRejection.NotAnImage, `Unsupported image format ${metadata.format ?? 'unknown'}: send JPEG, PNG or WebP`);
  }
  const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
  if (pixels > maxPixels) {
    throw new ImageRejectedError(FaceRejection.TooLarge, `The image has ${metadata.width}x${metadata.height} pixels, more than the limit of ${maxPixels}`);
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: maxPixels })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const rgb: RgbImage = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    const detectorInput = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
      .resize(DETECTOR_WIDTH, DETECTOR_HEIGHT, { fit: 'fill' })
      .raw()
      .toBuffer();
    return { ...rgb, detectorInput: new Uint8Array(detectorInput.buffer, detectorInput.byteOffset, detectorInput.length) };
  } catch (error) {
    throw new ImageRejectedError(FaceRejection.CorruptImage, `The image could not be decoded: ${(error as Error).message}`);
  }
}

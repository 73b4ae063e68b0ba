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

/** The photo's pixels at a reduced size: `scaleX` x `scaleY` photo pixels per raster pixel. */
export interface Raster {
  image: RgbImage;
  scaleX: number;
  scaleY: number;
}

export interface DecodedImage {
  /** Upright size of the photo, in its own pixels: every box and point is in these. */
  width: number;
  height: number;
  /** The whole photo squeezed to the detector's 320x240 input, RGB: the raster decoded first. */
  detectorInput: Raster;
  /**
   * A raster with at most `photoPixels` photo pixels per raster pixel: the first one when it is fine
   * enough, else the photo decoded again at that size (once, then kept). Face crops ask for one
   * that is not coarser than the crop itself, so they lose no detail the photo has.
   */
  rasterFor(photoPixels: number): Promise<Raster>;
}

export const DETECTOR_WIDTH = 320;
export const DETECTOR_HEIGHT = 240;

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp']);
/** JPEG decodes at 1/2, 1/4 or 1/8 size for little more than the entropy decoding (shrink-on-load). */
const LOAD_SHRINKS = [8, 4, 2, 1] as const;
const DETECTOR_SIZE = { width: DETECTOR_WIDTH, height: DETECTOR_HEIGHT };

interface Source {
  bytes: Buffer;
  maxPixels: number;
  width: number;
  height: number;
}

/** The photo at `size` (stretched to fill it), or at 1/`size` of its own size. */
async function decodeRaster(source: Source, size: number | { width: number; height: number }): Promise<Raster> {
  const target = typeof size === 'number' ? { width: Math.ceil(source.width / size), height: Math.ceil(source.height / size) } : size;
  let pipeline = sharp(source.bytes, { failOn: 'truncated', limitInputPixels: source.maxPixels }).rotate().removeAlpha().toColourspace('srgb');
  // JPEG and WebP shrink while they decode (libvips picks the load shrink from the target size).
  if (target.width !== source.width || target.height !== source.height) pipeline = pipeline.resize(target.width, target.height, { fit: 'fill' });
  try {
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    const image: RgbImage = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    return { image, scaleX: source.width / info.width, scaleY: source.height / info.height };
  } catch (error) {
    throw new ImageRejectedError(FaceRejection.CorruptImage, `The image could not be decoded: ${(error as Error).message}`);
  }
}

/**
 * Decodes JPEG, PNG or WebP with sharp, turned upright by its EXIF orientation, to RGB, once for a
 * camera frame: straight to the detector's 320x240 input (a JPEG at half size or less while it
 * decodes), and the face crops sample the same pixels as long as the face is large enough in
 * them; a smaller face gets a finer raster ({@link DecodedImage.rasterFor}). The pixel limit is
 * checked from the header before any pixel is decoded, so a 50-megapixel bomb costs nothing; a
 * truncated or corrupt file fails decoding with a clear reason instead of garbage.
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
  // EXIF orientations 5-8 turn the stored image by a quarter.
  const turned = (metadata.orientation ?? 1) >= 5;
  const width = turned ? metadata.height! : metadata.width!;
  const height = turned ? metadata.width! : metadata.height!;
  const source: Source = { bytes, maxPixels, width, height };
  const detectorInput = await decodeRaster(source, DETECTOR_SIZE);
  const finer = new Map<number, Promise<Raster>>();
  return {
    width,
    height,
    detectorInput,
    rasterFor(photoPixels: number): Promise<Raster> {
      if (Math.max(detectorInput.scaleX, detectorInput.scaleY) <= Math.max(1, photoPixels)) return Promise.resolve(detectorInput);
      const shrink = LOAD_SHRINKS.find((s) => s <= photoPixels) ?? 1;
      let decoded = finer.get(shrink);
      if (!decoded) finer.set(shrink, (decoded = decodeRaster(source, shrink)));
      return decoded;
    },
  };
}

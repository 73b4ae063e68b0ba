import sharp from 'sharp';
import { Affine, RgbImage } from './geometry';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A piece of an image, shrunk by libvips, with the mapping from its pixels back to the image's. */
export interface Region {
  image: RgbImage;
  /** Region pixel -> source image pixel. */
  toSource: Affine;
}

/**
 * Cuts `rect` (clamped to the image) and shrinks it so one region pixel is about `pixelSize`
 * source pixels. libvips shrinks with proper area filtering in a few hundred microseconds, so the
 * JS sampler that follows only interpolates at about 1:1 instead of averaging many samples.
 */
export async function shrinkRegion(image: RgbImage, rect: Rect, pixelSize: number): Promise<Region> {
  const left = Math.max(0, Math.floor(rect.x));
  const top = Math.max(0, Math.floor(rect.y));
  const right = Math.min(image.width, Math.ceil(rect.x + rect.width));
  const bottom = Math.min(image.height, Math.ceil(rect.y + rect.height));
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const scale = Math.max(1, pixelSize);
  const outWidth = Math.max(1, Math.round(width / scale));
  const outHeight = Math.max(1, Math.round(height / scale));
  const source = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length);
  let pipeline = sharp(source, { raw: { width: image.width, height: image.height, channels: 3 } }).extract({ left, top, width, height });
  if (outWidth !== width || outHeight !== height) pipeline = pipeline.resize(outWidth, outHeight, { fit: 'fill', kernel: 'linear' });
  const data = await pipeline.raw().toBuffer();
  return {
    image: { width: outWidth, height: outHeight, data: new Uint8Array(data.buffer, data.byteOffset, data.length) },
    toSource: { a: width / outWidth, b: 0, c: left, d: 0, e: height / outHeight, f: top },
  };
}

/** `t` (destination -> source image) re-expressed as destination -> region pixels. */
export function intoRegion(region: Region, t: Affine): Affine {
  const r = region.toSource;
  return {
    a: t.a / r.a,
    b: t.b / r.a,
    c: (t.c - r.c) / r.a,
    d: t.d / r.e,
    e: t.e / r.e,
    f: (t.f - r.f) / r.e,
  };
}

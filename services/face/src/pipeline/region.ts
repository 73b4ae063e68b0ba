import { Affine, RgbImage } from './geometry';
import { Rect, resampleRect } from './resample';

export type { Rect } from './resample';

/** A piece of an image, shrunk, with the mapping from its pixels back to the image's. */
export interface Region {
  image: RgbImage;
  /** Region pixel -> source image pixel. */
  toSource: Affine;
}

/**
 * Cuts `rect` (clamped to the image) and shrinks it by area averaging so one region pixel is about
 * `pixelSize` source pixels, so the sampler that follows only interpolates at about 1:1 instead of
 * averaging many samples per pixel.
 */
export function shrinkRegion(image: RgbImage, rect: Rect, pixelSize: number): Region {
  const left = Math.max(0, Math.floor(rect.x));
  const top = Math.max(0, Math.floor(rect.y));
  const right = Math.min(image.width, Math.ceil(rect.x + rect.width));
  const bottom = Math.min(image.height, Math.ceil(rect.y + rect.height));
  const width = Math.max(1, right - left);
  const height = Math.max(1, bottom - top);
  const scale = Math.max(1, pixelSize);
  const outWidth = Math.max(1, Math.round(width / scale));
  const outHeight = Math.max(1, Math.round(height / scale));
  return {
    image: resampleRect(image, { x: left, y: top, width, height }, outWidth, outHeight),
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

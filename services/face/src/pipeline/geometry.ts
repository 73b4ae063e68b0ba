/**
 * Pixel geometry of the face pipeline: an RGB raster, an affine sampler that crops, scales and
 * aligns in one step, and the 5-point similarity transform of ArcFace alignment.
 */

/** 8-bit interleaved RGB, row-major. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Point {
  x: number;
  y: number;
}

/**
 * Maps a destination pixel to a source position: src = (a*x + b*y + c, d*x + e*y + f).
 * Every crop, resize and alignment below is one of these.
 */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

/** The 112x112 ArcFace reference: left eye, right eye, nose tip, left and right mouth corner. */
export const ARCFACE_REFERENCE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.729, y: 92.2041 },
];

/** Destination box [0,w)x[0,h) onto the source rectangle (x, y, width, height): a crop-and-resize. */
export function rectAffine(rect: { x: number; y: number; width: number; height: number }, w: number, h: number): Affine {
  return { a: rect.width / w, b: 0, c: rect.x, d: 0, e: rect.height / h, f: rect.y };
}

/** Bilinear sample at (sx, sy) near the border into out[0..2]: taps outside the image read as black (a crop's padding). */
function bilinearAtBorder(image: RgbImage, sx: number, sy: number, out: Float64Array): void {
  const x0 = Math.floor(sx - 0.5);
  const y0 = Math.floor(sy - 0.5);
  const fx = sx - 0.5 - x0;
  const fy = sy - 0.5 - y0;
  out[0] = out[1] = out[2] = 0;
  for (let j = 0; j < 2; j++) {
    const y = y0 + j;
    if (y < 0 || y >= image.height) continue;
    const wy = j === 0 ? 1 - fy : fy;
    for (let i = 0; i < 2; i++) {
      const x = x0 + i;
      if (x < 0 || x >= image.width) continue;
      const weight = wy * (i === 0 ? 1 - fx : fx);
      const at = (y * image.width + x) * 3;
      out[0] += weight * image.data[at];
      out[1] += weight * image.data[at + 1];
      out[2] += weight * image.data[at + 2];
    }
  }
}

/**
 * Samples `width` x `height` RGB pixels through `t`. When one destination pixel covers several
 * source pixels (a large face shrunk to 112 px), it averages a grid of samples so the result is
 * not aliased; plain bilinear would make the embedding depend on the photo's resolution.
 */
export function sampleAffine(image: RgbImage, t: Affine, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  const scale = Math.max(Math.hypot(t.a, t.d), Math.hypot(t.b, t.e));
  const n = Math.min(Math.max(Math.ceil(scale), 1), 8);
  const data = image.data;
  const stride = image.width * 3;
  const border = new Float64Array(3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let v = 0; v < n; v++) {
        const dy = y + (v + 0.5) / n;
        for (let u = 0; u < n; u++) {
          const dx = x + (u + 0.5) / n;
          const sx = t.a * dx + t.b * dy + t.c;
          const sy = t.d * dx + t.e * dy + t.f;
          const x0 = Math.floor(sx - 0.5);
          const y0 = Math.floor(sy - 0.5);
          if (x0 < 0 || y0 < 0 || x0 + 1 >= image.width || y0 + 1 >= image.height) {
            bilinearAtBorder(image, sx, sy, border);
            r += border[0];
            g += border[1];
            b += border[2];
            continue;
          }
          // Inside (nearly every sample of a face crop): the four taps inline, no bounds checks.
          const fx = sx - 0.5 - x0;
          const fy = sy - 0.5 - y0;
          const w00 = (1 - fx) * (1 - fy);
          const w10 = fx * (1 - fy);
          const w01 = (1 - fx) * fy;
          const w11 = fx * fy;
          const at = y0 * stride + x0 * 3;
          const below = at + stride;
          r += w00 * data[at] + w10 * data[at + 3] + w01 * data[below] + w11 * data[below + 3];
          g += w00 * data[at + 1] + w10 * data[at + 4] + w01 * data[below + 1] + w11 * data[below + 4];
          b += w00 * data[at + 2] + w10 * data[at + 5] + w01 * data[below + 2] + w11 * data[below + 5];
        }
      }
      const at = (y * width + x) * 3;
      const k = 1 / (n * n);
      out[at] = r * k;
      out[at + 1] = g * k;
      out[at + 2] = b * k;
    }
  }
  return out;
}

/**
 * Least-squares similarity transform (rotation, uniform scale, translation; Umeyama 1991) taking
 * `from` onto `to`. Returned as the inverse mapping (destination -> source) for {@link sampleAffine}
 * when called as similarityTransform(reference, detected).
 */
export function similarityTransform(from: readonly Point[], to: readonly Point[]): Affine {
  const n = from.length;
  let mfx = 0;
  let mfy = 0;
  let mtx = 0;
  let mty = 0;
  for (let i = 0; i < n; i++) {
    mfx += from[i].x / n;
    mfy += from[i].y / n;
    mtx += to[i].x / n;
    mty += to[i].y / n;
  }
  // For 2-D similarity the optimal [a -b; b a] has closed form from these sums.
  let sxx = 0;
  let sxy = 0;
  let varFrom = 0;
  for (let i = 0; i < n; i++) {
    const fx = from[i].x - mfx;
    const fy = from[i].y - mfy;
    const tx = to[i].x - mtx;
    const ty = to[i].y - mty;
    sxx += fx * tx + fy * ty;
    sxy += fx * ty - fy * tx;
    varFrom += fx * fx + fy * fy;
  }
  if (varFrom === 0) throw new Error('degenerate points for a similarity transform');
  const a = sxx / varFrom;
  const b = sxy / varFrom;
  return { a, b: -b, c: mtx - a * mfx + b * mfy, d: b, e: a, f: mty - b * mfx - a * mfy };
}

export function applyAffine(t: Affine, p: Point): Point {
  return { x: t.a * p.x + t.b * p.y + t.c, y: t.d * p.x + t.e * p.y + t.f };
}

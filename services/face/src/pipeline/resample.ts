import { RgbImage } from './geometry';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Source pixels and weights of each output pixel along one axis (weights sum to 1). */
interface AxisTaps {
  first: Int32Array;
  count: Int32Array;
  /** `stride` weights per output pixel, the first `count` of them used. */
  weights: Float32Array;
  stride: number;
}

/**
 * Output pixel o covers the source span of `scale` pixels centred on from + (o + 0.5) * scale, at
 * least one pixel wide; each source pixel weighs by how much of it the span covers. Shrinking, this
 * is an area average (no aliasing); enlarging, it interpolates linearly between the two nearest
 * pixels. Source pixels outside [0, size) repeat the edge.
 */
function axisTaps(from: number, length: number, out: number, size: number): AxisTaps {
  const scale = length / out;
  const half = Math.max(scale, 1) / 2;
  const stride = Math.ceil(2 * half) + 1;
  const first = new Int32Array(out);
  const count = new Int32Array(out);
  const weights = new Float32Array(out * stride);
  for (let o = 0; o < out; o++) {
    const centre = from + (o + 0.5) * scale;
    const lo = centre - half;
    const hi = centre + half;
    const start = Math.floor(lo);
    const n = Math.min(stride, Math.ceil(hi) - start);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const w = Math.min(hi, start + k + 1) - Math.max(lo, start + k);
      weights[o * stride + k] = w;
      sum += w;
    }
    for (let k = 0; k < n; k++) weights[o * stride + k] /= sum;
    first[o] = start;
    count[o] = n;
  }
  // Clamp to the image by folding the weights of pixels outside it onto the edge pixel.
  for (let o = 0; o < out; o++) {
    const start = first[o];
    const end = start + count[o];
    if (start >= 0 && end <= size) continue;
    const folded = new Float32Array(stride);
    const lo = Math.min(Math.max(start, 0), size - 1);
    const hi = Math.min(Math.max(end - 1, 0), size - 1);
    for (let k = 0; k < count[o]; k++) folded[Math.min(Math.max(start + k, 0), size - 1) - lo] += weights[o * stride + k];
    weights.set(folded, o * stride);
    first[o] = lo;
    count[o] = hi - lo + 1;
  }
  return { first, count, weights, stride };
}

/**
 * The rectangle `rect` of `image` resampled to `width` x `height` (8-bit RGB), separably: each
 * needed source row is filtered horizontally once, then the rows are combined. In plain JS on the
 * calling thread, which for camera-sized images costs less than a round trip through sharp's
 * thread pool, and never copies the whole image.
 */
export function resampleRect(image: RgbImage, rect: Rect, width: number, height: number): RgbImage {
  const xs = axisTaps(rect.x, rect.width, width, image.width);
  const ys = axisTaps(rect.y, rect.height, height, image.height);
  const top = ys.first[0];
  const rows = ys.first[height - 1] + ys.count[height - 1] - top;
  const src = image.data;
  const rowStride = image.width * 3;
  const across = new Float32Array(rows * width * 3);
  for (let r = 0; r < rows; r++) {
    const rowStart = (top + r) * rowStride;
    const outRow = r * width * 3;
    for (let o = 0; o < width; o++) {
      const n = xs.count[o];
      const w0 = o * xs.stride;
      let at = rowStart + xs.first[o] * 3;
      let red = 0;
      let green = 0;
      let blue = 0;
      for (let k = 0; k < n; k++, at += 3) {
        const w = xs.weights[w0 + k];
        red += w * src[at];
        green += w * src[at + 1];
        blue += w * src[at + 2];
      }
      const to = outRow + o * 3;
      across[to] = red;
      across[to + 1] = green;
      across[to + 2] = blue;
    }
  }
  const data = new Uint8Array(width * height * 3);
  const line = width * 3;
  for (let o = 0; o < height; o++) {
    const n = ys.count[o];
    const w0 = o * ys.stride;
    const base = (ys.first[o] - top) * line;
    const outRow = o * line;
    for (let i = 0; i < line; i++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += ys.weights[w0 + k] * across[base + k * line + i];
      // Uint8Array assignment truncates: + 0.5 rounds.
      data[outRow + i] = sum + 0.5;
    }
  }
  return { width, height, data };
}

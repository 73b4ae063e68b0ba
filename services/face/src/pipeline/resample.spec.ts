import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RgbImage } from './geometry';
import { resampleRect } from './resample';

function image(width: number, height: number, pixel: (x: number, y: number) => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(pixel(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { width, height, data };
}

describe(resampleRect.name, () => {
  it('shrinks by averaging the area each pixel covers', () => {
    // 1-pixel stripes of 0 and 200 halved: every output pixel covers one of each.
    const stripes = image(8, 4, (x) => (x % 2 ? 200 : 0));
    const half = resampleRect(stripes, { x: 0, y: 0, width: 8, height: 4 }, 4, 2);
    assert.deepEqual([...new Set(half.data)], [100]);
  });

  it('enlarges by linear interpolation, and repeats the edge past the border', () => {
    const ramp = image(2, 1, (x) => x * 200);
    const wide = resampleRect(ramp, { x: 0, y: 0, width: 2, height: 1 }, 4, 1);
    assert.deepEqual([0, 1, 2, 3].map((i) => wide.data[i * 3]), [0, 50, 150, 200]);
    const past = resampleRect(image(4, 4, () => 77), { x: -3, y: -3, width: 10, height: 10 }, 5, 5);
    assert.deepEqual([...new Set(past.data)], [77]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAffine, ARCFACE_REFERENCE, RgbImage, sampleAffine, similarityTransform } from '../src/pipeline/geometry';

describe('alignment geometry', () => {
  it('recovers a known rotation, scale and shift from the five points', () => {
    const angle = 0.3;
    const scale = 2.5;
    const moved = ARCFACE_REFERENCE.map((p) => ({
      x: scale * (Math.cos(angle) * p.x - Math.sin(angle) * p.y) + 200,
      y: scale * (Math.sin(angle) * p.x + Math.cos(angle) * p.y) + 80,
    }));
    const t = similarityTransform(ARCFACE_REFERENCE, moved);
    for (const [i, p] of ARCFACE_REFERENCE.entries()) {
      const q = applyAffine(t, p);
      assert.ok(Math.hypot(q.x - moved[i].x, q.y - moved[i].y) < 1e-6);
    }
    assert.ok(Math.abs(Math.hypot(t.a, t.d) - scale) < 1e-9);
  });

  it('samples through an affine map, averaging when it shrinks', () => {
    // A 4x4 checkerboard of 0/255 shrunk to 1x1 averages to mid-grey instead of picking one square.
    const data = new Uint8Array(4 * 4 * 3).map((_, i) => ((Math.floor(i / 3) % 4) + Math.floor(i / 12)) % 2 === 0 ? 0 : 255);
    const image: RgbImage = { width: 4, height: 4, data };
    const [r] = sampleAffine(image, { a: 4, b: 0, c: 0, d: 0, e: 4, f: 0 }, 1, 1);
    assert.ok(Math.abs(r - 127.5) < 20, `got ${r}`);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { franckFrames } from '@fleet/testing';
import { decodeImage } from './image-decoder';

const MAX_PIXELS = 25_000_000;

describe(decodeImage.name, () => {
  it('decodes a camera frame straight to the detector input, and decodes finer only for a crop that needs it', async () => {
    const decoded = await decodeImage(franckFrames()[1], MAX_PIXELS);
    assert.deepEqual([decoded.width, decoded.height], [720, 576]);
    const first = decoded.detectorInput;
    assert.deepEqual([first.image.width, first.image.height, first.scaleX, first.scaleY], [320, 240, 2.25, 2.4]);
    // A crop of 3 photo pixels per output pixel is served from it; one of 1.2 gets the whole photo, once.
    assert.equal(await decoded.rasterFor(3), first);
    const full = await decoded.rasterFor(1.2);
    assert.deepEqual([full.image.width, full.image.height, full.scaleX, full.scaleY], [720, 576, 1, 1]);
    assert.equal(await decoded.rasterFor(1.2), full);
    const half = await decoded.rasterFor(2.1);
    assert.deepEqual([half.image.width, half.image.height], [360, 288]);
  });

  it('keeps the upright size of a photo stored sideways (EXIF orientation 6)', async () => {
    const sideways = await sharp(franckFrames()[1]).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const decoded = await decodeImage(sideways, MAX_PIXELS);
    assert.deepEqual([decoded.width, decoded.height], [720, 576]);
    const full = await decoded.rasterFor(1);
    assert.deepEqual([full.image.width, full.image.height], [720, 576]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeYoloOutput, nonMaxSuppression } from '../src/inference/yolo-decode';
import { letterboxGeometry } from '../src/inference/letterbox';
import { parseClassNames } from '../src/model/detector-model';
import { compareKit } from '../src/predict/kit-comparison';
import { unsafeEntryName } from '../src/predict/zip-entries';
import { returnStatus } from '../src/transactions/return-status';
import { FilesystemObjectStore, keyProblem } from '@fleet/storage';
import { parseClassThresholds } from '../src/config/vision.config';

const detection = (class_name: string, confidence = 0.9) => ({ class_id: 0, class_name, confidence, box: { x1: 0, y1: 0, x2: 1, y2: 1 } });

describe('YOLO output decoding', () => {
  // Two classes, four anchors: rows cx, cy, w, h, score(a), score(b).
  const names = ['a', 'b'];
  const output = Float32Array.from([
    ...[50, 55, 300, 50], // cx
    ...[50, 50, 300, 50], // cy
    ...[20, 20, 40, 20], // w
    ...[20, 20, 40, 20], // h
    ...[0.9, 0.8, 0.1, 0.3], // a
    ...[0.1, 0.2, 0.7, 0.6], // b
  ]);
  const geometry = { scale: 0.5, padLeft: 0, padTop: 20, width: 1000, height: 1000 };

  it('keeps the best class per anchor, drops overlaps of the same class, maps boxes back through the letterbox', () => {
    const result = decodeYoloOutput(output, [1, 6, 4], geometry, { names, confidence: 0.5, classThresholds: {}, iou: 0.45, maxDetections: 10 });
    assert.deepEqual(result.map((d) => [d.class_name, d.confidence]), [['a', 0.9], ['b', 0.7], ['b', 0.6]].map(([n, c]) => [n, Number(Number(c).toFixed(4))]));
    assert.deepEqual(result[0].box, { x1: 80, y1: 40, x2: 120, y2: 80 });
  });

  it('applies the stricter of the request confidence and a per-class threshold', () => {
    const result = decodeYoloOutput(output, [1, 6, 4], geometry, { names, confidence: 0.5, classThresholds: { b: 0.65 }, iou: 0.45, maxDetections: 10 });
    assert.deepEqual(result.map((d) => d.class_name), ['a', 'b']);
  });

  it('refuses an output whose class count does not match the names', () => {
    assert.throws(() => decodeYoloOutput(output, [1, 6, 4], geometry, { names: ['a'], confidence: 0.5, classThresholds: {}, iou: 0.45, maxDetections: 10 }), /2 classes but 1/);
  });

  it('NMS keeps boxes of different classes even when they overlap', () => {
    const box = { x1: 0, y1: 0, x2: 10, y2: 10 };
    const kept = nonMaxSuppression([{ classId: 0, score: 0.9, ...box }, { classId: 1, score: 0.8, ...box }, { classId: 0, score: 0.7, ...box }], 0.45, 10);
    assert.deepEqual(kept.map((k) => k.score), [0.9, 0.8]);
  });

  it('letterboxes like Ultralytics: scale to fit, centred padding', () => {
    assert.deepEqual(letterboxGeometry(1280, 720, 640), { scale: 0.5, newWidth: 640, newHeight: 360, padLeft: 0, padTop: 140, width: 1280, height: 720 });
  });
});

describe('kit comparison and return status', () => {
  const kit = [{ className: 'hammer', tools: ['Claw hammer'], quantity: 2 }, { className: 'pliers', tools: ['Pliers'], quantity: 1 }];

  it('counts expected, found, missing and extra per class; several photos are views of one kit', () => {
    const result = compareKit('k', kit, [[detection('hammer'), detection('knife')], [detection('hammer'), detection('hammer', 0.6), detection('pliers')]]);
    assert.deepEqual(result.lines.map((l) => [l.class_name, l.expected, l.found, l.missing, l.extra, l.confidence]), [
      ['hammer', 2, 2, 0, 0, 0.6],
      ['pliers', 1, 1, 0, 0, 0.9],
      ['knife', 0, 1, 0, 1, 0.9],
    ]);
    assert.equal(result.complete, false);
  });

  it('decides complete, incomplete, needs_review in that order of evidence', () => {
    const ok = { filename: 'a', success: true, detections: [], count: 0 };
    const full = compareKit('k', kit, [[detection('hammer'), detection('hammer'), detection('pliers')]]);
    assert.equal(returnStatus([ok], full, 0.7).status, 'complete');
    const missing = compareKit('k', kit, [[detection('hammer')]]);
    assert.equal(returnStatus([ok], missing, 0.7).status, 'incomplete');
    const doubtful = compareKit('k', kit, [[detection('hammer', 0.55)]]);
    assert.equal(returnStatus([ok], doubtful, 0.7).status, 'needs_review');
    assert.equal(returnStatus([ok, { ...ok, success: false }], full, 0.7).status, 'needs_review');
  });
});

describe('names and paths', () => {
  it('reads Ultralytics class-name metadata and JSON lists', () => {
    assert.deepEqual(parseClassNames("{0: 'hammer', 1: \"wire cutters\"}"), ['hammer', 'wire cutters']);
    assert.deepEqual(parseClassNames('["a","b"]'), ['a', 'b']);
    assert.throws(() => parseClassNames('{0: "a", 2: "c"}'));
  });

  it('parses per-class thresholds and refuses malformed ones', () => {
    assert.deepEqual(parseClassThresholds('hammer=0.6, utility_knife=1'), { hammer: 0.6, utility_knife: 1 });
    assert.throws(() => parseClassThresholds('hammer=1.5'));
  });

  it('flags unsafe ZIP entry names', () => {
    for (const name of ['../x.jpg', 'a/../../x.jpg', '/etc/passwd', 'C:\\x.jpg', '\\\\server\\x', 'a\u0000b']) assert.ok(unsafeEntryName(name), name);
    for (const name of ['a/b.jpg', 'photo..jpg', 'x.jpg']) assert.equal(unsafeEntryName(name), undefined, name);
  });

  it('keeps worker paths inside the media storage', () => {
    assert.equal(new FilesystemObjectStore('/m', 'incoming').pathOf('incoming/a.upload'), '/m/incoming/a.upload');
    for (const bad of ['../etc/passwd', '/etc/passwd', 'incoming/../../x', 'a\u0000']) {
      assert.ok(keyProblem(bad), bad);
      assert.throws(() => new FilesystemObjectStore('/m', 'incoming').pathOf(bad), /Invalid storage key/, bad);
    }
  });
});

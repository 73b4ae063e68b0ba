import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { defaultModelPaths, sessionOptions } from './face-models';
import { withFastPRelu } from './prelu-rewrite';

describe(withFastPRelu.name, () => {
  for (const [name, shape] of [['embedding', [1, 3, 112, 112]], ['liveness', [1, 3, 128, 128]]] as const) {
    it(`gives the ${name} model's outputs and leaves no PRelu`, async () => {
      const original = readFileSync(defaultModelPaths()[name]);
      const rewritten = withFastPRelu(original);
      const ops = new Set(onnx.ModelProto.decode(rewritten).graph!.node!.map((n) => n.opType));
      assert.ok(!ops.has('PRelu') && ops.has('Max'), `ops left: ${[...ops].join(', ')}`);
      const [a, b] = await Promise.all([ort.InferenceSession.create(original, sessionOptions(1)), ort.InferenceSession.create(rewritten, sessionOptions(1))]);
      const input = new Float32Array(shape.reduce<number>((x, y) => x * y, 1)).map((_, i) => Math.sin(i * 0.37) * 1.5);
      const feeds = (s: ort.InferenceSession) => ({ [s.inputNames[0]]: new ort.Tensor('float32', input, [...shape]) });
      const [outA, outB] = [await a.run(feeds(a)), await b.run(feeds(b))];
      for (const key of a.outputNames) {
        const [x, y] = [outA[key].data as Float32Array, outB[key].data as Float32Array];
        assert.equal(x.length, y.length);
        const worst = x.reduce((max, value, i) => Math.max(max, Math.abs(value - y[i])), 0);
        assert.ok(worst < 1e-4, `${key}: largest difference ${worst}`);
      }
      await Promise.all([a.release(), b.release()]);
    });
  }

  it('leaves a model without PRelu as it is', () => {
    const detector = readFileSync(defaultModelPaths().detector);
    assert.equal(withFastPRelu(detector), detector);
  });
});

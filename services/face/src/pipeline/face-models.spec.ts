import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { defaultModelPaths, OnnxModel } from './face-models';

/** A deterministic pseudo-random image of `length` values in -1..1. */
function seeded(length: number, seed: number): Float32Array {
  const values = new Float32Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 16807) % 2147483647;
    values[i] = (x / 2147483647) * 2 - 1;
  }
  return values;
}

describe(OnnxModel.name, () => {
  let model: OnnxModel;
  const size = 64 * 64;

  before(async () => {
    model = await OnnxModel.load(defaultModelPaths().landmarks, [1, 1, 64, 64], 1);
  });

  it('runFilled: runs started together each see their own input, though inputs are reused', async () => {
    const inputs = [1, 2, 3].map((seed) => seeded(size, seed));
    const alone = [];
    for (const input of inputs) alone.push((await model.run(input)).output);
    // Each fill writes its input before the previous run has started (the binding runs in a later turn).
    for (let round = 0; round < 3; round++) {
      const together = await Promise.all(inputs.map((input) => model.runFilled((buffer) => buffer.set(input))));
      assert.deepEqual(
        together.map((outputs) => Array.from(outputs.output)),
        alone.map((output) => Array.from(output)),
      );
    }
  });
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { withFastPRelu } from './prelu-rewrite';

export interface FaceModelPaths {
  detector: string;
  landmarks: string;
  embedding: string;
  liveness: string;
}

/** The models shipped in the npm package `faceplugin-face-recognition-js` (MIT). */
export function defaultModelPaths(): FaceModelPaths {
  const dir = path.join(path.dirname(require.resolve('faceplugin-face-recognition-js/package.json')), 'model');
  return {
    detector: path.join(dir, 'fr_detect.onnx'),
    landmarks: path.join(dir, 'fr_landmark.onnx'),
    embedding: path.join(dir, 'fr_feature.onnx'),
    liveness: path.join(dir, 'fr_liveness.onnx'),
  };
}

const EXPECTED_INPUTS: Record<keyof FaceModelPaths, number[]> = {
  detector: [1, 3, 240, 320],
  landmarks: [1, 1, 64, 64],
  embedding: [1, 3, 112, 112],
  liveness: [1, 3, 128, 128],
};

/**
 * Session options, measured on the embedding model on 2 cores (bench/face/ort-options.mjs: CPU per
 * run against these options, runs alternating in one process; two runs): graph optimisation
 * 'extended' cost 1.53-1.65x, 'basic' 1.51-1.55x; the memory arena off 1.15-1.25x, memory pattern
 * off the same; the parallel executor 1.22-1.30x; a second intra-op thread 1.30-2.03x without
 * spinning, and 1.11-1.18x with spinning while the session run next to it took twice its CPU (the
 * spinning threads held the cores). None lowered the latency: these models are too small to split.
 * So one thread per run, which also suits a pool of one instance per core; FACE_ORT_THREADS > 1
 * never spins.
 *
 * Denormal floats are flushed to zero (`set_denormal_as_zero`). The embedding network produces
 * subnormal intermediates, and some CPUs take a microcode assist on every operation that touches
 * one: on the Xeon (AVX-512) machines of 2026-11-30 the embedding took 66-72 ms per run with them
 * and 6.7-7.4 ms without (bench/face/denormals.mjs), with bit-identical embeddings; on the machines
 * before, it took ~8 ms either way. ONNX Runtime applies this option once per process, from the
 * first session created (to that thread and every intra-op pool), so every face session must carry it.
 */
export function sessionOptions(threads: number): ort.InferenceSession.SessionOptions {
  return {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    extra: { session: { intra_op: { allow_spinning: '0' }, set_denormal_as_zero: '1' } },
  };
}

/** Input buffers one model keeps for reuse: enough for the calls a face instance runs at once. */
const MAX_SPARE_INPUTS = 4;

/** One ONNX session with its single input, run with a float tensor of the declared shape. */
export class OnnxModel {
  /**
   * Input buffers kept between runs (the detector's is 0.9 MB). A new one per run is external
   * memory, and its churn is what brings V8's full collections. A buffer is lent from its fill
   * until its run has finished: the binding runs the session in a later turn (setImmediate), when
   * another call may be filling an input of its own.
   */
  private readonly spareInputs: Float32Array[] = [];

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly shape: number[],
  ) {}

  static async load(file: string, expectedShape: number[], threads: number): Promise<OnnxModel> {
    const session = await ort.InferenceSession.create(withFastPRelu(readFileSync(file)), sessionOptions(threads));
    const metadata = session.inputMetadata[0] as { isTensor: boolean; shape?: readonly unknown[] };
    const shape = metadata.isTensor ? (metadata.shape ?? []).map((dim) => (typeof dim === 'number' ? dim : -1)) : [];
    if (shape.join() !== expectedShape.join()) {
      throw new Error(`${file}: input shape [${shape}] is not the expected [${expectedShape}]`);
    }
    return new OnnxModel(session, shape);
  }

  async run(input: Float32Array): Promise<Record<string, Float32Array>> {
    const feeds = { [this.session.inputNames[0]]: new ort.Tensor('float32', input, this.shape) };
    const outputs = await this.session.run(feeds);
    return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, tensor.data as Float32Array]));
  }

  /** Runs on an input `fill` writes into a reused buffer of the model's input size. */
  async runFilled(fill: (input: Float32Array) => void): Promise<Record<string, Float32Array>> {
    const input = this.spareInputs.pop() ?? new Float32Array(this.shape.reduce((a, b) => a * b, 1));
    fill(input);
    try {
      return await this.run(input);
    } finally {
      if (this.spareInputs.length < MAX_SPARE_INPUTS) this.spareInputs.push(input);
    }
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export interface FaceModels {
  detector: OnnxModel;
  landmarks: OnnxModel;
  embedding: OnnxModel;
  liveness: OnnxModel;
  /**
   * Identifies the embedding model: `<file name>@<first 12 hex of its sha256>`. Every template
   * records it, and search only compares vectors of the same version.
   */
  embeddingVersion: string;
}

export function modelVersionOf(file: string): string {
  const digest = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 12);
  return `${path.basename(file, '.onnx')}@${digest}`;
}

/** Loads all four models, checking each one's input shape, so a wrong path fails at boot. */
export async function loadFaceModels(paths: FaceModelPaths, threads: number): Promise<FaceModels> {
  const [detector, landmarks, embedding, liveness] = await Promise.all(
    (['detector', 'landmarks', 'embedding', 'liveness'] as const).map((name) => OnnxModel.load(paths[name], EXPECTED_INPUTS[name], threads)),
  );
  return { detector, landmarks, embedding, liveness, embeddingVersion: modelVersionOf(paths.embedding) };
}

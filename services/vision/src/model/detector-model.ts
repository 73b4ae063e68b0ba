import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { demoModelFileName, writeDemoModel } from './generate-demo-model';

export interface ModelSource {
  modelPath?: string;
  modelCacheDir: string;
  classNames?: string[];
  intraOpThreads: number;
}

/** A loaded detector: the ONNX session and what decoding needs to know about it. */
export interface DetectorModel {
  session: ort.InferenceSession;
  inputName: string;
  outputName: string;
  /** Side of the square input (640 for the usual exports). */
  inputSize: number;
  names: string[];
  name: string;
  /** First 16 hex digits of the file's sha256: part of every cache key. */
  version: string;
  file: string;
}

/** Parses Ultralytics' `names` metadata (`{0: 'person', 1: 'bicycle'}`) or a JSON array/object. */
export function parseClassNames(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return (JSON.parse(trimmed) as unknown[]).map(String);
  const entries = [...trimmed.matchAll(/(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g)];
  if (entries.length === 0) throw new Error(`cannot read class names from model metadata: ${trimmed.slice(0, 80)}`);
  const names: string[] = [];
  for (const entry of entries) names[Number(entry[1])] = entry[2] ?? entry[3];
  if (names.some((n) => n === undefined) || names.length !== entries.length) throw new Error('class ids in the model metadata are not 0..n-1');
  return names;
}

/** The demo model is generated on first use into the cache dir; a configured model is used as is. */
export function resolveModelFile(source: ModelSource): string {
  if (source.modelPath) {
    if (!existsSync(source.modelPath)) throw new Error(`VISION_MODEL_PATH ${source.modelPath} does not exist`);
    return source.modelPath;
  }
  const file = path.join(source.modelCacheDir, demoModelFileName());
  if (!existsSync(file)) writeDemoModel(file);
  return file;
}

function squareInputSize(model: onnx.ModelProto): number {
  const dims = model.graph?.input?.[0]?.type?.tensorType?.shape?.dim ?? [];
  const [h, w] = [dims[2]?.dimValue, dims[3]?.dimValue].map((d) => Number(d ?? 0));
  if (h > 0 && h === w) return h;
  return 640;
}

export async function loadDetectorModel(source: ModelSource): Promise<DetectorModel> {
  const file = resolveModelFile(source);
  const bytes = readFileSync(file);
  const proto = onnx.ModelProto.decode(bytes);
  const metadata = Object.fromEntries((proto.metadataProps ?? []).map((p) => [p.key, p.value]));
  const names = source.classNames ?? (metadata.names ? parseClassNames(metadata.names) : undefined);
  if (!names) throw new Error(`${file} has no 'names' metadata; set VISION_CLASS_NAMES`);
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: source.intraOpThreads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // The arena keeps its high-water mark forever; the demo model's tensors are small enough that
    // plain allocation costs nothing measurable, and a worker's memory stays flat.
    enableCpuMemArena: false,
    // Denormal floats flushed to zero: some CPUs take a slow path on each one (face's embedding ran
    // 9.6x slower with them on the machines of 2026-11-30; see services/face's sessionOptions). The
    // demo model measured the same either way; a trained model may not. Applied once per process,
    // from the first session: this is a worker's only one.
    extra: { session: { set_denormal_as_zero: '1' } },
  });
  return {
    session,
    inputName: session.inputNames[0],
    outputName: session.outputNames[0],
    inputSize: squareInputSize(proto),
    names,
    name: metadata.description ?? path.basename(file, '.onnx'),
    version: createHash('sha256').update(bytes).digest('hex').slice(0, 16),
    file,
  };
}

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { onnx } from 'onnx-proto';
import { DEMO_CLASSES, DEMO_MODEL_CELL, DEMO_MODEL_INPUT, DEMO_MODEL_REVISION, DEMO_MODEL_SCALES } from './demo-classes';

/**
 * Builds the demo detector: a real ONNX graph with a YOLOv8 export's interface (`images`
 * [1,3,640,640] RGB 0..1 -> `output0` [1, 4 + classes, N], boxes as cx,cy,w,h in input pixels, class
 * scores in 0..1, names in the `names` metadata as Ultralytics writes them). No trained tool
 * detector ships on npm, so this one "recognises" a tool by its colour, deterministically:
 *
 * 1. colour mask per class, on 4x4 pixel averages: one 1x1 Conv over [x², x] gives k·(τ² - |x - colour|²), clipped to 0..1;
 * 2. mask averaged over 16-px cells (a 40x40 grid);
 * 3. per scale (64-px windows every 16 px, 128-px windows every 32 px): coverage of the window and
 *    of a ring around it; score = coverage² · (1 - ring coverage)², so a window scores 1 exactly on
 *    a patch of its own size and low on parts of bigger patches or on neighbours (which NMS drops).
 *
 * Everything after the graph (letterbox, decoding, thresholds, NMS) is the same code a trained
 * model goes through.
 */

const F = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
/** Squared colour distance (0..1 RGB) under which a pixel fully belongs to a class. */
const TAU2 = 0.04;
/** Slope of the mask: full membership below TAU2 - 1/SLOPE. */
const SLOPE = 100;
/** Input pixels averaged before the colour test (a divisor of DEMO_MODEL_CELL). */
const PIXEL_POOL = 4;

interface Graph {
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
}

function floatTensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dims, dataType: F, floatData: values };
}

function attr(name: string, value: number | number[]): onnx.IAttributeProto {
  return Array.isArray(value)
    ? { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value }
    : { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

function node(graph: Graph, opType: string, inputs: string[], output: string, attributes: onnx.IAttributeProto[] = []): string {
  graph.nodes.push({ opType, input: inputs, output: [output], name: output, attribute: attributes });
  return output;
}

function scalar(graph: Graph, name: string, value: number): string {
  graph.initializers.push(floatTensor(name, [], [value]));
  return name;
}

/** Conv weights and bias computing k·(τ² - |x - c|²) from [x², x] for every class colour c. */
function colourMask(graph: Graph): string {
  const weights: number[] = [];
  const bias: number[] = [];
  for (const { rgb } of DEMO_CLASSES) {
    const c = rgb.map((v) => v / 255);
    weights.push(-SLOPE, -SLOPE, -SLOPE, ...c.map((v) => 2 * SLOPE * v));
    bias.push(SLOPE * (TAU2 - c.reduce((sum, v) => sum + v * v, 0)));
  }
  graph.initializers.push(floatTensor('mask_w', [DEMO_CLASSES.length, 6, 1, 1], weights), floatTensor('mask_b', [DEMO_CLASSES.length], bias));
  // Colours are judged on 4x4 pixel averages: 16x less work, and exact inside 16-px aligned patches.
  const pixels = node(graph, 'AveragePool', ['images'], 'pixels', [attr('kernel_shape', [PIXEL_POOL, PIXEL_POOL]), attr('strides', [PIXEL_POOL, PIXEL_POOL])]);
  const squares = node(graph, 'Mul', [pixels, pixels], 'squares');
  const features = node(graph, 'Concat', [squares, pixels], 'features', [attr('axis', 1)]);
  const linear = node(graph, 'Conv', [features, 'mask_w', 'mask_b'], 'mask_linear', [attr('kernel_shape', [1, 1])]);
  return node(graph, 'Clip', [linear, scalar(graph, 'zero', 0), scalar(graph, 'one', 1)], 'mask');
}

/** Scores [1, classes, n] of one scale's windows, from the per-cell mask. */
function scaleScores(graph: Graph, cells: string, index: number, windowCells: number, strideCells: number): string {
  const margin = windowCells / 4;
  const outerCells = windowCells + 2 * margin;
  const pool = (name: string, kernel: number, pad: number) =>
    node(graph, 'AveragePool', [cells], `${name}${index}`, [
      attr('kernel_shape', [kernel, kernel]),
      attr('strides', [strideCells, strideCells]),
      attr('pads', [pad, pad, pad, pad]),
      attr('count_include_pad', 1),
    ]);
  const inner = pool('inner', windowCells, 0);
  const outer = pool('outer', outerCells, margin);
  const ringArea = outerCells ** 2 - windowCells ** 2;
  const outerPart = node(graph, 'Mul', [outer, scalar(graph, `outer_w${index}`, outerCells ** 2 / ringArea)], `outer_part${index}`);
  const innerPart = node(graph, 'Mul', [inner, scalar(graph, `inner_w${index}`, windowCells ** 2 / ringArea)], `inner_part${index}`);
  const ring = node(graph, 'Sub', [outerPart, innerPart], `ring${index}`);
  const clean = node(graph, 'Relu', [node(graph, 'Sub', ['one', ring], `free${index}`)], `clean${index}`);
  const cleanSq = node(graph, 'Mul', [clean, clean], `clean_sq${index}`);
  const innerSq = node(graph, 'Mul', [inner, inner], `inner_sq${index}`);
  const score = node(graph, 'Mul', [innerSq, cleanSq], `score${index}`);
  graph.initializers.push({ name: `flat${index}`, dims: [3], dataType: INT64, int64Data: [1, DEMO_CLASSES.length, -1] });
  return node(graph, 'Reshape', [score, `flat${index}`], `scores${index}`);
}

/** The fixed cx,cy,w,h of every window, in the order the scores are flattened (row-major). */
export function demoAnchorBoxes(): number[][] {
  const rows: number[][] = [[], [], [], []];
  for (const { window, stride } of DEMO_MODEL_SCALES) {
    const count = (DEMO_MODEL_INPUT - window) / stride + 1;
    for (let y = 0; y < count; y++) {
      for (let x = 0; x < count; x++) {
        rows[0].push(x * stride + window / 2);
        rows[1].push(y * stride + window / 2);
        rows[2].push(window);
        rows[3].push(window);
      }
    }
  }
  return rows;
}

/** Ultralytics' `names` metadata format (a Python dict literal), which the model loader parses. */
export function ultralyticsNames(names: readonly string[]): string {
  return `{${names.map((name, i) => `${i}: '${name}'`).join(', ')}}`;
}

export function buildDemoModel(): Uint8Array {
  const graph: Graph = { nodes: [], initializers: [] };
  const mask = colourMask(graph);
  const perCell = DEMO_MODEL_CELL / PIXEL_POOL;
  const cells = node(graph, 'AveragePool', [mask], 'cells', [attr('kernel_shape', [perCell, perCell]), attr('strides', [perCell, perCell])]);
  const scores = DEMO_MODEL_SCALES.map(({ window, stride }, i) => scaleScores(graph, cells, i, window / DEMO_MODEL_CELL, stride / DEMO_MODEL_CELL));
  const allScores = node(graph, 'Concat', scores, 'class_scores', [attr('axis', 2)]);
  const anchors = demoAnchorBoxes();
  graph.initializers.push(floatTensor('boxes', [1, 4, anchors[0].length], anchors.flat()));
  node(graph, 'Concat', ['boxes', allScores], 'output0', [attr('axis', 1)]);

  const dims = (values: number[]) => ({ dim: values.map((dimValue) => ({ dimValue })) });
  const model = onnx.ModelProto.create({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    producerName: 'fleet-vision-demo',
    producerVersion: String(DEMO_MODEL_REVISION),
    modelVersion: DEMO_MODEL_REVISION,
    docString: 'Demo tool detector: recognises each tool class by its colour (see generate-demo-model.ts).',
    metadataProps: [
      { key: 'names', value: ultralyticsNames(DEMO_CLASSES.map((c) => c.name)) },
      { key: 'imgsz', value: `[${DEMO_MODEL_INPUT}, ${DEMO_MODEL_INPUT}]` },
      { key: 'task', value: 'detect' },
      { key: 'description', value: `fleet demo tool detector r${DEMO_MODEL_REVISION}` },
    ],
    graph: {
      name: 'demo_tool_detector',
      node: graph.nodes,
      initializer: graph.initializers,
      input: [{ name: 'images', type: { tensorType: { elemType: F, shape: dims([1, 3, DEMO_MODEL_INPUT, DEMO_MODEL_INPUT]) } } }],
      output: [{ name: 'output0', type: { tensorType: { elemType: F, shape: dims([1, 4 + DEMO_CLASSES.length, anchors[0].length]) } } }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Default file name of the demo model in a cache dir; the revision makes a stale file obvious. */
export function demoModelFileName(): string {
  return `demo-tool-detector-r${DEMO_MODEL_REVISION}.onnx`;
}

/**
 * Writes the model atomically (temp file + rename), so two workers generating it at the same
 * time never leave a half-written file for a third to load.
 */
export function writeDemoModel(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, buildDemoModel());
  renameSync(temp, file);
}

if (require.main === module) {
  const target = path.resolve(process.argv[2] ?? path.join('.cache', 'vision', demoModelFileName()));
  writeDemoModel(target);
  console.log(`demo model written to ${target}`);
}

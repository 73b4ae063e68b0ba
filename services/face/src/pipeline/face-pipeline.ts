import { Affine, applyAffine, ARCFACE_REFERENCE, Point, rectAffine, RgbImage, sampleAffine, similarityTransform } from './geometry';
import { intoRegion, Rect, shrinkRegion } from './region';
import { DecodedImage, DETECTOR_HEIGHT, DETECTOR_WIDTH } from './image-decoder';
import { FaceModels } from './face-models';

export interface PipelineFace {
  /** x1, y1, x2, y2 in image pixels, as the detector gave it. */
  box: [number, number, number, number];
  score: number;
  /** Left eye, right eye, nose tip, left and right mouth corner, image pixels. */
  landmarks: Point[];
}

export interface DetectorSettings {
  scoreThreshold: number;
  nmsThreshold: number;
}

const DETECTOR_ANCHORS = 4420;
const EMBEDDING_SIZE = 112;
const LANDMARK_SIZE = 64;
const LIVENESS_SIZE = 128;
/** The liveness model looks at the face with its surroundings: 2.7 times the box (from the model's own demo). */
const LIVENESS_CONTEXT = 2.7;

function iou(a: PipelineFace['box'], b: PipelineFace['box']): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/** Fills `out` with the planar float tensor of interleaved RGB: (value - mean) / std per channel, in the given channel order. */
function planarInto(out: Float32Array, rgb: ArrayLike<number>, pixels: number, mean: number, std: number, order: [number, number, number] = [0, 1, 2]): void {
  // The stds in use are powers of two (or 1), so multiplying by the reciprocal gives the same floats.
  const scale = 1 / std;
  for (let c = 0; c < 3; c++) {
    const source = order[c];
    const offset = c * pixels;
    for (let i = 0; i < pixels; i++) out[offset + i] = (rgb[i * 3 + source] - mean) * scale;
  }
}

/** The square box the landmark model was trained on: the detector box made square around its centre. */
function squareBox(box: PipelineFace['box']): Rect {
  const side = box[3] - box[1];
  const cx = (box[0] + box[2]) / 2;
  const cy = (box[1] + box[3]) / 2;
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/** `width` x `height` RGB pixels of `image` through `t` (destination -> raster), pre-shrunk when the face is large. */
function sampleRaster(image: RgbImage, t: Affine, width: number, height: number): Float32Array {
  const corners = [applyAffine(t, { x: 0, y: 0 }), applyAffine(t, { x: width, y: 0 }), applyAffine(t, { x: 0, y: height }), applyAffine(t, { x: width, y: height })];
  const xs = corners.map((p) => p.x);
  const ys = corners.map((p) => p.y);
  const bounds = { x: Math.min(...xs) - 1, y: Math.min(...ys) - 1, width: Math.max(...xs) - Math.min(...xs) + 2, height: Math.max(...ys) - Math.min(...ys) + 2 };
  const pixelSize = Math.max(Math.hypot(t.a, t.d), Math.hypot(t.b, t.e));
  if (pixelSize < 1.5) return sampleAffine(image, t, width, height);
  const region = shrinkRegion(image, bounds, pixelSize);
  return sampleAffine(region.image, intoRegion(region, t), width, height);
}

/** `width` x `height` RGB pixels through `t` (destination -> photo pixels), from a raster no coarser than the crop. */
async function sampleThrough(image: DecodedImage, t: Affine, width: number, height: number): Promise<Float32Array> {
  const raster = await image.rasterFor(Math.max(Math.hypot(t.a, t.d), Math.hypot(t.b, t.e)));
  const { scaleX: sx, scaleY: sy } = raster;
  return sampleRaster(raster.image, { a: t.a / sx, b: t.b / sx, c: t.c / sx, d: t.d / sy, e: t.e / sy, f: t.f / sy }, width, height);
}

/** 68-point (iBUG) landmarks to the 5 points ArcFace aligns on: eye centres, nose tip, mouth corners. */
function fivePoints(p: Point[]): Point[] {
  const mean = (...indices: number[]): Point => ({
    x: indices.reduce((sum, i) => sum + p[i].x, 0) / indices.length,
    y: indices.reduce((sum, i) => sum + p[i].y, 0) / indices.length,
  });
  return [mean(36, 37, 38, 39, 40, 41), mean(42, 43, 44, 45, 46, 47), p[30], mean(48, 60), mean(54, 64)];
}

/**
 * detect -> landmarks -> 5-point similarity alignment -> 512-d L2-normalised embedding, and the
 * liveness classifier, on the models of {@link FaceModels}. Stateless apart from the sessions.
 */
export class FacePipeline {
  constructor(
    private readonly models: FaceModels,
    private readonly detector: DetectorSettings,
  ) {}

  get modelVersion(): string {
    return this.models.embeddingVersion;
  }

  /** Faces, best score first, each with its 5 alignment points. */
  async detect(image: DecodedImage): Promise<PipelineFace[]> {
    const pixels = DETECTOR_WIDTH * DETECTOR_HEIGHT;
    // BGR, as the model's own demo feeds it (OpenCV order); RGB found the same faces in our test photos.
    const outputs = await this.models.detector.runFilled((input) => planarInto(input, image.detectorInput.image.data, pixels, 127, 128, [2, 1, 0]));
    const scores = outputs.scores;
    const boxes = outputs.boxes;
    const candidates: PipelineFace[] = [];
    for (let i = 0; i < DETECTOR_ANCHORS; i++) {
      const score = scores[i * 2 + 1];
      if (score < this.detector.scoreThreshold) continue;
      const box: PipelineFace['box'] = [boxes[i * 4] * image.width, boxes[i * 4 + 1] * image.height, boxes[i * 4 + 2] * image.width, boxes[i * 4 + 3] * image.height];
      if (box[2] - box[0] < 2 || box[3] - box[1] < 2) continue;
      candidates.push({ box, score, landmarks: [] });
    }
    candidates.sort((a, b) => b.score - a.score);
    const kept: PipelineFace[] = [];
    for (const candidate of candidates) {
      if (kept.every((face) => iou(face.box, candidate.box) < this.detector.nmsThreshold)) kept.push(candidate);
    }
    for (const face of kept) face.landmarks = await this.landmarks(image, face.box);
    return kept;
  }

  private async landmarks(image: DecodedImage, box: PipelineFace['box']): Promise<Point[]> {
    const square = squareBox(box);
    const crop = await sampleThrough(image, rectAffine(square, LANDMARK_SIZE, LANDMARK_SIZE), LANDMARK_SIZE, LANDMARK_SIZE);
    const { output } = await this.models.landmarks.runFilled((grey) => {
      for (let i = 0; i < grey.length; i++) grey[i] = (0.299 * crop[i * 3] + 0.587 * crop[i * 3 + 1] + 0.114 * crop[i * 3 + 2]) / 256;
    });
    const points: Point[] = [];
    for (let i = 0; i < 68; i++) points.push({ x: square.x + output[i * 2] * square.width, y: square.y + output[i * 2 + 1] * square.height });
    return fivePoints(points);
  }

  /** The face warped onto the ArcFace 112x112 template, interleaved RGB floats 0..255. */
  alignedFace(image: DecodedImage, face: PipelineFace): Promise<Float32Array> {
    return sampleThrough(image, similarityTransform(ARCFACE_REFERENCE, face.landmarks), EMBEDDING_SIZE, EMBEDDING_SIZE);
  }

  /** 512-d embedding, L2-normalised, so cosine similarity is a dot product. */
  async embed(image: DecodedImage, face: PipelineFace): Promise<Float32Array> {
    const aligned = await this.alignedFace(image, face);
    const { output } = await this.models.embedding.runFilled((input) => planarInto(input, aligned, EMBEDDING_SIZE * EMBEDDING_SIZE, 127, 128));
    let norm = 0;
    for (const value of output) norm += value * value;
    norm = Math.sqrt(norm) || 1;
    return Float32Array.from(output, (value) => value / norm);
  }

  /** Softmax over the liveness model's three classes for this face. */
  async liveness(image: DecodedImage, face: PipelineFace): Promise<number[]> {
    const width = face.box[2] - face.box[0];
    const height = face.box[3] - face.box[1];
    const scale = Math.min(LIVENESS_CONTEXT, (image.width - 1) / width, (image.height - 1) / height);
    const cx = (face.box[0] + face.box[2]) / 2;
    const cy = (face.box[1] + face.box[3]) / 2;
    const w = width * scale;
    const h = height * scale;
    // Shifted back inside the image rather than padded, as the model's demo crops.
    const x = Math.min(Math.max(cx - w / 2, 0), image.width - w);
    const y = Math.min(Math.max(cy - h / 2, 0), image.height - h);
    const crop = await sampleThrough(image, rectAffine({ x, y, width: w, height: h }, LIVENESS_SIZE, LIVENESS_SIZE), LIVENESS_SIZE, LIVENESS_SIZE);
    const { output } = await this.models.liveness.runFilled((input) => planarInto(input, crop, LIVENESS_SIZE * LIVENESS_SIZE, 0, 1));
    const max = Math.max(...output);
    const exps = Array.from(output, (value) => Math.exp(value - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return exps.map((value) => value / sum);
  }
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}

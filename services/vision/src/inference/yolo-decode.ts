import type { Detection } from '@fleet/contracts';
import type { LetterboxGeometry } from './letterbox';

export interface DecodeOptions {
  /** Class names by id. */
  names: readonly string[];
  /** Minimum score, from the request. */
  confidence: number;
  /** Per-class minimum scores from config; the stricter of the two applies. */
  classThresholds: Readonly<Record<string, number>>;
  /** IoU above which NMS drops the lower-scored box of the same class. */
  iou: number;
  maxDetections: number;
}

interface Candidate {
  classId: number;
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * Decodes a YOLOv8/YOLO11 detection output `[1, 4 + classes, N]` (rows cx, cy, w, h in input pixels,
 * then one score per class): best class per anchor, thresholds, class-wise NMS, boxes mapped back
 * through the letterbox and clipped to the original image.
 */
export function decodeYoloOutput(output: Float32Array, dims: readonly number[], geometry: LetterboxGeometry, options: DecodeOptions): Detection[] {
  const [batch, rows, anchors] = dims;
  const classes = rows - 4;
  if (dims.length !== 3 || batch !== 1 || classes < 1) throw new Error(`unexpected model output shape [${dims.join(', ')}]; expected [1, 4 + classes, N]`);
  if (classes !== options.names.length) throw new Error(`the model has ${classes} classes but ${options.names.length} class names are configured`);
  const minimum = options.names.map((name) => Math.max(options.confidence, options.classThresholds[name] ?? 0));
  const candidates: Candidate[] = [];
  for (let a = 0; a < anchors; a++) {
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < classes; c++) {
      const value = output[(4 + c) * anchors + a];
      if (value > score) {
        score = value;
        best = c;
      }
    }
    if (score < minimum[best] || score <= 0) continue;
    const cx = output[a];
    const cy = output[anchors + a];
    const w = output[2 * anchors + a];
    const h = output[3 * anchors + a];
    candidates.push({ classId: best, score, x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 });
  }
  return nonMaxSuppression(candidates, options.iou, options.maxDetections).map((c) => toDetection(c, geometry, options.names));
}

export function iou(a: Candidate, b: Candidate): number {
  const w = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const h = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy NMS per class, highest score first; ties keep the earlier anchor (deterministic). */
export function nonMaxSuppression(candidates: Candidate[], threshold: number, limit: number): Candidate[] {
  const sorted = candidates.map((c, i) => ({ c, i })).sort((a, b) => b.c.score - a.c.score || a.i - b.i).map(({ c }) => c);
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    if (kept.length >= limit) break;
    if (kept.some((k) => k.classId === candidate.classId && iou(k, candidate) > threshold)) continue;
    kept.push(candidate);
  }
  return kept;
}

const round = (value: number) => Math.round(value * 10) / 10;

function toDetection(c: Candidate, g: LetterboxGeometry, names: readonly string[]): Detection {
  const mapX = (x: number) => Math.min(Math.max((x - g.padLeft) / g.scale, 0), g.width);
  const mapY = (y: number) => Math.min(Math.max((y - g.padTop) / g.scale, 0), g.height);
  return {
    class_id: c.classId,
    class_name: names[c.classId],
    confidence: Math.round(c.score * 10_000) / 10_000,
    box: { x1: round(mapX(c.x1)), y1: round(mapY(c.y1)), x2: round(mapX(c.x2)), y2: round(mapY(c.y2)) },
  };
}

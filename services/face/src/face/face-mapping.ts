import { DetectedFace } from '@fleet/contracts';
import { PipelineFace } from '../pipeline/face-pipeline';

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

export function mapFace(face: PipelineFace): DetectedFace {
  const [x1, y1, x2, y2] = face.box;
  return {
    box: { x: round(x1), y: round(y1), width: round(x2 - x1), height: round(y2 - y1) },
    score: round(face.score, 4),
    landmarks: face.landmarks.map((p) => ({ x: round(p.x), y: round(p.y) })),
  };
}

import { FaceImageRejection, FaceRejection } from '@fleet/contracts';
import { PipelineFace } from '../pipeline/face-pipeline';

export interface QualityGates {
  minScore: number;
  minFacePx: number;
}

export function faceSizeOf(face: PipelineFace): number {
  return Math.round(Math.min(face.box[2] - face.box[0], face.box[3] - face.box[1]));
}

/**
 * Enrollment accepts a photo only when it holds exactly one face that is big and clear enough
 * to make a template worth matching against for years. Returns the face or the reason it failed.
 */
export function checkEnrollQuality(faces: PipelineFace[], index: number, gates: QualityGates): PipelineFace | FaceImageRejection {
  if (faces.length === 0) return { index, reason: FaceRejection.NoFace, message: 'no face found' };
  if (faces.length > 1) return { index, reason: FaceRejection.MultipleFaces, message: `${faces.length} faces found, enrollment needs exactly one` };
  const [face] = faces;
  const size = faceSizeOf(face);
  if (size < gates.minFacePx) return { index, reason: FaceRejection.FaceTooSmall, message: `the face is ${size} px, at least ${gates.minFacePx} px are needed` };
  if (face.score < gates.minScore) {
    return { index, reason: FaceRejection.LowDetectionScore, message: `detection score ${face.score.toFixed(3)} is below ${gates.minScore}` };
  }
  return face;
}

export function largestFace(faces: PipelineFace[]): PipelineFace | undefined {
  return faces.reduce<PipelineFace | undefined>((best, face) => (!best || faceSizeOf(face) > faceSizeOf(best) ? face : best), undefined);
}

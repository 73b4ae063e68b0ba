import { ApiError } from '../../api/errors';

/** A photo waiting to be enrolled, with the quality gate's verdict once it answered. */
export interface PendingPhoto {
  key: string;
  blob: Blob;
  name: string;
  /** Object URL of the preview; revoked when the photo leaves the list. */
  previewUrl: string;
  refused?: { reason: string; message: string };
}

/** The face service's refusal reasons, as an operator reads them. */
const REASONS: Record<string, string> = {
  not_an_image: 'Not an image',
  corrupt_image: 'The image is damaged',
  too_large: 'The image is too large',
  no_face: 'No face found',
  multiple_faces: 'More than one face',
  face_too_small: 'The face is too small',
  low_detection_score: 'The face is not clear enough',
};

export const reasonLabel = (reason: string): string => REASONS[reason] ?? reason;

let counter = 0;

export function pendingPhoto(blob: Blob, name: string): PendingPhoto {
  counter += 1;
  return { key: `photo-${counter}`, blob, name, previewUrl: URL.createObjectURL(blob) };
}

interface Rejection {
  index: number;
  reason: string;
  message: string;
}

/** The per-photo refusals of an enrollment's 400 (`details.rejections`, by the photo's index); empty for other errors. */
export function rejectionsOf(error: unknown): Rejection[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const rejections = (error.body.details as { rejections?: unknown } | undefined)?.rejections;
  if (!Array.isArray(rejections)) return [];
  return rejections.filter((r): r is Rejection => typeof r === 'object' && r !== null && typeof (r as Rejection).index === 'number');
}

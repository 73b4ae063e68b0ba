import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsBytes, IsBytesArray } from '../rpc/bytes';
import { defineMethod } from '../rpc/rpc-method';

/**
 * The face service's methods (internal only: reached over RabbitMQ, never through the gateway).
 *
 * Images travel inside the messages as bytes (binary attachments; a JSON-only caller may send
 * base64 text instead), bounded by {@link FACE_MAX_IMAGE_BYTES}. They are transient biometric data: writing them to the shared file storage would leave copies
 * that need their own retention and deletion story, while a camera frame (720x576 JPEG, 50-150 KB)
 * is a small message for RabbitMQ. The bound keeps one message far below the broker's frame limits.
 */

/** Largest accepted image file: 6 MB. */
export const FACE_MAX_IMAGE_BYTES = 6_000_000;
/** Images per enroll call, frames per identify/verify/liveness call. */
export const FACE_MAX_IMAGES = 8;
/** Person ids are the caller's ids (an engineer's or passenger's id), opaque to the face service. */
export const FACE_PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** Why an image was refused; every enroll rejection and every image error names one. */
export enum FaceRejection {
  NotAnImage = 'not_an_image',
  CorruptImage = 'corrupt_image',
  TooLarge = 'too_large',
  NoFace = 'no_face',
  MultipleFaces = 'multiple_faces',
  FaceTooSmall = 'face_too_small',
  LowDetectionScore = 'low_detection_score',
}

/** `data` of an InvalidParams error about images: which image failed and why. */
export interface FaceImageRejection {
  index: number;
  reason: FaceRejection;
  message: string;
}

export class FaceBox {
  x!: number;
  y!: number;
  width!: number;
  height!: number;
}

export class FacePoint {
  x!: number;
  y!: number;
}

export class DetectedFace {
  /** In pixels of the upright (EXIF-rotated) image. */
  box!: FaceBox;
  /** Detector confidence, 0..1. */
  score!: number;
  /** Left eye, right eye, nose tip, left and right mouth corner. */
  landmarks!: FacePoint[];
}

const Image = (): PropertyDecorator => IsBytes({ maxBytes: FACE_MAX_IMAGE_BYTES });
const Images = (): PropertyDecorator => IsBytesArray({ maxBytes: FACE_MAX_IMAGE_BYTES, minItems: 1, maxItems: FACE_MAX_IMAGES });
function PersonId(): PropertyDecorator {
  return (target, key) => [IsString(), Matches(FACE_PERSON_ID, { message: 'personId must be 1-128 characters of A-Z a-z 0-9 . _ : -' })].forEach((d) => d(target, key));
}

export class DetectFacesParams {
  @Image()
  image!: Buffer;
}

export class DetectFacesResult {
  width!: number;
  height!: number;
  faces!: DetectedFace[];
}

export class EnrollFaceParams {
  @PersonId()
  personId!: string;

  /** Every image must pass the quality gates (exactly one face, big and clear enough), or nothing is stored. */
  @Images()
  images!: Buffer[];
}

export class EnrolledTemplate {
  templateId!: string;
  /** Shorter side of the face box, pixels. */
  faceSize!: number;
  detectionScore!: number;
}

export class EnrollFaceResult {
  personId!: string;
  modelVersion!: string;
  templates!: EnrolledTemplate[];
  /** Templates the person has now, these included. */
  totalTemplates!: number;
}

export class IdentifyFaceParams {
  @Image()
  image!: Buffer;

  @IsOptional() @IsInt() @Min(1) @Max(20)
  topK?: number;
}

export class FaceCandidate {
  personId!: string;
  /** Cosine similarity of the best template, -1..1. */
  similarity!: number;
}

export class IdentifyFaceResult {
  /** Best persons first, whatever their similarity. */
  candidates!: FaceCandidate[];
  /** The best candidate when its similarity reaches the threshold, else null ("not recognised"). */
  match!: FaceCandidate | null;
  threshold!: number;
  modelVersion!: string;
  /** The face that was searched (the largest one when the image has several). */
  face!: DetectedFace;
}

export class VerifyFaceParams {
  @PersonId()
  personId!: string;

  @Image()
  image!: Buffer;
}

export class VerifyFaceResult {
  personId!: string;
  match!: boolean;
  similarity!: number;
  threshold!: number;
  modelVersion!: string;
}

export class ForgetFaceParams {
  @PersonId()
  personId!: string;
}

export class ForgetFaceResult {
  personId!: string;
  /** False when nothing was stored for this person (forget is idempotent). */
  existed!: boolean;
  templatesRemoved!: number;
}

export class LivenessParams {
  /** One frame, or several consecutive frames of the same camera. */
  @Images()
  frames!: Buffer[];

  @IsOptional() @IsNumber() @Min(0) @Max(1)
  threshold?: number;
}

export class LivenessFrame {
  /** The model's softmax over its three classes, in model order. */
  classScores!: number[];
  /** Probability of the class that behaves as "live" in our experiments (see the service README). */
  liveScore!: number;
}

export class LivenessResult {
  /**
   * Always true for now: the model's classes are undocumented and our experiments could not tie
   * them to live versus re-captured faces reliably. Do not gate anything on this result alone.
   */
  experimental!: true;
  live!: boolean;
  liveScore!: number;
  threshold!: number;
  frames!: LivenessFrame[];
  /**
   * Several frames only: mean absolute pixel change of the aligned face between consecutive frames
   * (0..255). A replayed still photo gives ~0; a person in front of a camera moves a little.
   */
  frameVariation?: number;
}

export const DetectFaces = defineMethod('face.detect.v1', DetectFacesParams, DetectFacesResult);
export const EnrollFace = defineMethod('face.enroll.v1', EnrollFaceParams, EnrollFaceResult);
export const IdentifyFace = defineMethod('face.identify.v1', IdentifyFaceParams, IdentifyFaceResult);
export const VerifyFace = defineMethod('face.verify.v1', VerifyFaceParams, VerifyFaceResult);
export const ForgetFace = defineMethod('face.forget.v1', ForgetFaceParams, ForgetFaceResult);
export const CheckLiveness = defineMethod('face.liveness.v1', LivenessParams, LivenessResult);

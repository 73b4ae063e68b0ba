import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import type { RobotUserView } from '@fleet/contracts';
import { PageQueryDto } from '../paging/paging.dto';
import type { FaceLoginOutcome, FaceLoginRecord } from './face-logins.repository';

/** The face service knows engineers under this person id (opaque to it). */
export const engineerPersonId = (engineerId: string): string => `engineer:${engineerId}`;

/** Multipart limits of the face routes: a camera frame is 50-150 KB, an enrollment photo a few MB. */
export const FACE_UPLOAD_LIMITS = { fileSize: 6 * 1024 * 1024, files: 8, fields: 5, fieldSize: 1024 };
export const FACE_MAX_FILES = 8;

/** `?limit=&offset=&robot_id=` of the face login review. */
export class FaceLoginListQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255)
  robot_id?: string;
}

/** One recorded face login attempt, as operators review it (snake_case, like every API field). */
export interface FaceLoginAttemptResponse {
  id: string;
  robot_id: string;
  outcome: FaceLoginOutcome;
  engineer_id: string | null;
  similarity: number | null;
  threshold: number | null;
  frames: number;
  liveness: unknown;
  detail: string | null;
  request_id: string | null;
  created_at: string;
}

export function mapFaceLogin(record: FaceLoginRecord): FaceLoginAttemptResponse {
  return {
    id: record.id,
    robot_id: record.robotId,
    outcome: record.outcome,
    engineer_id: record.engineerId,
    similarity: record.similarity,
    threshold: record.threshold,
    frames: record.frames,
    liveness: record.liveness,
    detail: record.detail,
    request_id: record.requestId,
    created_at: record.createdAt,
  };
}

export interface EngineerFaceEnrollmentResponse {
  engineer_id: string;
  templates_added: number;
  total_templates: number;
  model_version: string;
}

export interface EngineerFaceForgetResponse {
  engineer_id: string;
  templates_removed: number;
}

export interface FaceLoginResponse {
  attempt_id: string;
  recognised: boolean;
  /** The engineer as a robot may show them; null when not recognised. */
  engineer: RobotUserView | null;
  similarity: number | null;
  threshold: number;
  /** With several frames: the face service's liveness result (experimental, informative only). */
  liveness?: { experimental: true; live: boolean; live_score: number; frame_variation?: number };
}

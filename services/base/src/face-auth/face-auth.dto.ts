import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../paging/paging.dto';
import type { FaceLoginRecord } from './face-logins.repository';
import { FaceLoginAttemptView } from './face-auth.view';

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

export function mapFaceLogin(record: FaceLoginRecord): FaceLoginAttemptView {
  return {
    id: record.id,
    robot_id: record.robotId,
    outcome: record.outcome,
    engineer_id: record.engineerId,
    similarity: record.similarity,
    threshold: record.threshold,
    frames: record.frames,
    liveness: record.liveness as FaceLoginAttemptView['liveness'],
    detail: record.detail,
    request_id: record.requestId,
    created_at: record.createdAt,
  };
}

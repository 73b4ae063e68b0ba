import { ApiProperty } from '@nestjs/swagger';
import { RobotUserView } from '../engineers/engineers.view';
import type { FaceLoginOutcome } from './face-logins.repository';

const FACE_LOGIN_OUTCOMES: FaceLoginOutcome[] = ['recognised', 'not_recognised', 'inactive', 'rejected_image', 'error'];

/** One recorded face login attempt, as operators review it. */
export class FaceLoginAttemptView {
  id!: string;
  /** The robot's client subject. */
  robot_id!: string;
  @ApiProperty({ enum: FACE_LOGIN_OUTCOMES, enumName: 'FaceLoginOutcome' })
  outcome!: FaceLoginOutcome;
  /** The recognised (or inactive) engineer. */
  engineer_id!: string | null;
  /** The best candidate's similarity (0-1). */
  similarity!: number | null;
  /** The similarity a match needs. */
  threshold!: number | null;
  /** Photos the robot sent (several: liveness was checked too). */
  frames!: number;
  /** The face service's liveness result when several frames came (experimental). */
  liveness!: Record<string, unknown> | null;
  /** Why the images were refused or the attempt failed. */
  detail!: string | null;
  request_id!: string | null;
  created_at!: string;
}

/** An enrollment: every photo passed the quality gate and became a face template. */
export class FaceEnrollmentView {
  engineer_id!: string;
  templates_added!: number;
  /** The engineer's templates in all, earlier enrollments included. */
  total_templates!: number;
  model_version!: string;
}

/** A forgotten face: every template of the engineer is removed. */
export class FaceForgetView {
  engineer_id!: string;
  templates_removed!: number;
}

/** The face service's liveness answer to several frames (experimental, informative only). */
export class FaceLivenessView {
  experimental!: true;
  live!: boolean;
  live_score!: number;
  frame_variation?: number;
}

/** A robot's face login: who it is, as the robot may show them. */
export class FaceLoginView {
  /** The recorded attempt (GET /admin/face-logins). */
  attempt_id!: string;
  recognised!: boolean;
  /** The engineer as a robot may show them; null when not recognised. */
  engineer!: RobotUserView | null;
  similarity!: number | null;
  threshold!: number;
  /** With several frames: the face service's liveness result (experimental, informative only). */
  liveness?: FaceLivenessView;
}

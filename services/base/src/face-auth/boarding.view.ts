import { ApiProperty } from '@nestjs/swagger';
import { TicketDecision } from '@fleet/contracts';
import { BoardingDecisionRecord } from './boarding-signature';
import { BOARDING_OUTCOMES, BoardingOutcome, BoardingResponse } from './boarding.dto';

/** The liveness check of the camera frames; null where liveness is off. */
export class BoardingLivenessView {
  /** `motion` (frames must differ) or `model` (also the face service's live score). */
  mode!: string;
  passed!: boolean;
  /** Mean pixel change of the aligned face between frames. */
  frame_variation?: number;
  live_score?: number;
}

/** The ticket part of a boarding answer. */
export class BoardingTicketView {
  decision!: TicketDecision;
  reason!: string;
  /** The recorded ticket check; null when the face step refused before the ticket was checked. */
  check_id!: string | null;
  /** True when this boarding used the ticket up. */
  consumed!: boolean;
}

/** The 1:1 face match against the passenger enrolled for the ticket. */
export class BoardingFaceView {
  match!: boolean;
  similarity!: number;
  threshold!: number;
}

/** The robot's one-step boarding answer, signed. */
export class BoardingResultView implements BoardingResponse {
  decision_id!: string;
  boarded!: boolean;
  @ApiProperty({ enum: BOARDING_OUTCOMES })
  outcome!: BoardingOutcome;
  ticket!: BoardingTicketView;
  face!: BoardingFaceView | null;
  liveness!: BoardingLivenessView | null;
  decided_at!: string;
  /** `v1=<hex HMAC-SHA256>` over the decision's canonical form. */
  signature!: string;
}

/** A stored boarding decision with its signature checked again by the service. */
export class BoardingDecisionAuditView implements BoardingDecisionRecord {
  id!: string;
  robot_id!: string;
  ticket_code!: string;
  ticket_id!: string | null;
  /** The ticket check's decision (`valid`, `expired`, ...). */
  ticket_decision!: string;
  ticket_check_id!: string | null;
  @ApiProperty({ enum: BOARDING_OUTCOMES })
  outcome!: string;
  face_similarity!: number | null;
  face_threshold!: number | null;
  liveness!: BoardingLivenessView | null;
  decided_at!: string;
  /** `v1=<hex HMAC-SHA256>` as stored with the decision. */
  signature!: string;
  /** False when the stored row no longer matches its signature (it was altered). */
  signature_valid!: boolean;
}

/** One row of the boarding decision log. */
export class BoardingDecisionListItemView extends BoardingDecisionAuditView {
  /** Null when the robot is no longer registered. */
  robot_name!: string | null;
}

/** Photos added to the passenger's face enrollment for a ticket. */
export class PassengerEnrollmentView {
  ticket_id!: string;
  templates_added!: number;
  total_templates!: number;
}

/** The passenger's face forgotten for a ticket. */
export class PassengerForgottenView {
  ticket_id!: string;
  templates_removed!: number;
}

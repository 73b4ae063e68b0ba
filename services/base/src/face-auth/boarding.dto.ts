import { IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { TICKET_NONCE_PATTERN, TicketDecision } from '@fleet/contracts';
import { PageQueryDto } from '../paging/paging.dto';

/** Text fields of the multipart `POST /robot/boarding` (the frames are files). */
export class BoardingDto {
  @IsString() @Length(1, 64)
  code!: string;

  @IsString() @Matches(TICKET_NONCE_PATTERN, { message: 'nonce must be 8-128 characters of letters, digits, "_", ":", "." or "-"' })
  nonce!: string;
}

export const BOARDING_OUTCOMES = ['boarded', 'ticket_refused', 'not_enrolled', 'face_mismatch', 'liveness_failed', 'rejected_image'] as const;
export type BoardingOutcome = (typeof BOARDING_OUTCOMES)[number];

export class BoardingDecisionListQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @Length(1, 64)
  ticket_code?: string;

  @IsOptional() @IsUUID()
  robot_id?: string;

  /** One of boarded, ticket_refused, not_enrolled, face_mismatch, liveness_failed, rejected_image. */
  @IsOptional() @IsIn(BOARDING_OUTCOMES)
  outcome?: BoardingOutcome;
}

export interface BoardingResponse {
  decision_id: string;
  boarded: boolean;
  outcome: BoardingOutcome;
  ticket: { decision: TicketDecision; reason: string; check_id: string | null; consumed: boolean };
  face: { match: boolean; similarity: number; threshold: number } | null;
  liveness: { mode: string; passed: boolean; frame_variation?: number; live_score?: number } | null;
  decided_at: string;
  signature: string;
}

/** The face service knows a passenger who opted in under their ticket. */
export const passengerPersonId = (ticketId: string): string => `ticket:${ticketId}`;

/** `motion` liveness: mean pixel change of the aligned face between frames below this is a still replay. */
export const BOARDING_MIN_FRAME_VARIATION = 1;

/**
 * Tickets and the robot's ticket check (`POST /base_api/robot/tickets/check`), shared by base,
 * its tests, the e2e suite and the benchmark.
 */

/** What the robot shows the passenger; exactly one per check. */
export enum TicketDecision {
  Valid = 'valid',
  AlreadyUsed = 'already_used',
  Expired = 'expired',
  NotYetValid = 'not_yet_valid',
  Cancelled = 'cancelled',
  Unknown = 'unknown',
  /** The robot is assigned to a train and the ticket is for another one. */
  WrongTrain = 'wrong_train',
}

export const TICKET_DECISIONS: readonly TicketDecision[] = Object.values(TicketDecision);

/** Entry consumes the ticket; exit only checks it (a passenger who got in may always get out). */
export enum TicketDirection {
  Entry = 'entry',
  Exit = 'exit',
}

export enum TicketStatus {
  Active = 'active',
  Used = 'used',
  Cancelled = 'cancelled',
}

export const TICKET_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
export const TICKET_NONCE_PATTERN = /^[A-Za-z0-9_:.-]{8,128}$/;

export interface TicketCheckRequest {
  code: string;
  /** Unique per scan on one robot: a retry of the same scan sends the same nonce. */
  nonce: string;
  direction: TicketDirection;
}

export interface TicketCheckResponse {
  /** The recorded check's id; a replay returns the original one. */
  check_id: string;
  decision: TicketDecision;
  reason: string;
  direction: TicketDirection;
  /** True when this nonce was seen before and the stored decision is returned. */
  replayed: boolean;
  checked_at: string;
  /** What the robot may show; null when the code is unknown. */
  ticket: { code: string; passenger_name: string; train: string; car: string; seat: string } | null;
}

export interface TicketResponse {
  id: string;
  code: string;
  passenger_name: string;
  train: string;
  car: string;
  seat: string;
  departure_station: string;
  valid_from: string;
  valid_until: string;
  status: TicketStatus;
  used_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_at: string;
}

export interface TicketImportRejection {
  /** 1-based data row (CSV: the header is row 0) or array index + 1 (JSON). */
  row: number;
  code: string | null;
  errors: string[];
}

export interface TicketImportReport {
  received: number;
  created: number;
  rejected: TicketImportRejection[];
}

export interface TicketCheckRecord {
  id: string;
  robot_id: string;
  robot_name: string;
  nonce: string;
  ticket_code: string;
  ticket_id: string | null;
  direction: TicketDirection;
  decision: TicketDecision;
  reason: string;
  checked_at: string;
}

import { TicketCheckRecord, TicketCheckResponse, TicketDecision, TicketDirection, TicketImportRejection, TicketImportReport, TicketResponse, TicketStatus } from '@fleet/contracts';

/** A ticket as operators see it. */
export class TicketView implements TicketResponse {
  id!: string;
  code!: string;
  passenger_name!: string;
  train!: string;
  car!: string;
  seat!: string;
  departure_station!: string;
  /** ISO 8601 date-time: the ticket is valid from this instant. */
  valid_from!: string;
  /** ISO 8601 date-time: the ticket is valid until this instant. */
  valid_until!: string;
  status!: TicketStatus;
  /** When a valid entry check consumed it. */
  used_at!: string | null;
  cancelled_at!: string | null;
  cancel_reason!: string | null;
  created_at!: string;
}

/** What the robot may show the passenger about the ticket it checked. */
export class CheckedTicketView {
  code!: string;
  passenger_name!: string;
  train!: string;
  car!: string;
  seat!: string;
}

/** The robot's ticket check answer: exactly one decision per scan. */
export class TicketCheckResultView implements TicketCheckResponse {
  /** The recorded check's id; a replay returns the original one. */
  check_id!: string;
  decision!: TicketDecision;
  /** The decision in words, for the robot's screen. */
  reason!: string;
  direction!: TicketDirection;
  /** True when this nonce was seen before and the stored decision is returned. */
  replayed!: boolean;
  checked_at!: string;
  /** What the robot may show; null when the code is unknown. */
  ticket!: CheckedTicketView | null;
}

/** One rejected row of an import, with every reason. */
export class TicketImportRejectionView implements TicketImportRejection {
  /** 1-based data row (CSV: the header is row 0) or array index + 1 (JSON). */
  row!: number;
  /** The row's code when it had one. */
  code!: string | null;
  errors!: string[];
}

/** The outcome of an import: valid rows with new codes are created, the others rejected. */
export class TicketImportReportView implements TicketImportReport {
  /** Data rows read from the file. */
  received!: number;
  created!: number;
  rejected!: TicketImportRejectionView[];
}

/** One recorded ticket check (the check log). */
export class TicketCheckRecordView implements TicketCheckRecord {
  id!: string;
  robot_id!: string;
  robot_name!: string;
  nonce!: string;
  ticket_code!: string;
  /** Null when the code matched no ticket. */
  ticket_id!: string | null;
  direction!: TicketDirection;
  decision!: TicketDecision;
  reason!: string;
  checked_at!: string;
}

import type { paths } from '../../api/generated/base';
import type { BaseSchemas } from '../../api/clients/base';

export type TicketView = BaseSchemas['TicketView'];
export type TicketCheckRecord = BaseSchemas['TicketCheckRecordView'];
export type TicketImportReport = BaseSchemas['TicketImportReportView'];
export type BoardingDecision = BaseSchemas['BoardingDecisionListItemView'];
export type TicketStatus = TicketView['status'];
export type TicketDecision = TicketCheckRecord['decision'];
export type BoardingOutcome = BoardingDecision['outcome'];

export type TicketListQuery = NonNullable<paths['/admin/tickets']['get']['parameters']['query']>;
export type CheckListQuery = NonNullable<paths['/admin/ticket-checks']['get']['parameters']['query']>;
export type BoardingListQuery = NonNullable<paths['/admin/boarding-decisions']['get']['parameters']['query']>;

/** One query key per resource; mutations invalidate the resource's root. */
export const ticketKeys = {
  all: ['base', 'tickets'] as const,
  list: (query: TicketListQuery) => ['base', 'tickets', 'list', query] as const,
  checks: (query: CheckListQuery) => ['base', 'ticket-checks', query] as const,
  boarding: (query: BoardingListQuery) => ['base', 'boarding-decisions', query] as const,
  boardingOne: (id: string) => ['base', 'boarding-decisions', 'one', id] as const,
};

export const PAGE_SIZE = 20;

export const TICKET_STATUSES: TicketStatus[] = ['active', 'used', 'cancelled'];
export const TICKET_DECISIONS: TicketDecision[] = ['valid', 'already_used', 'expired', 'not_yet_valid', 'cancelled', 'unknown', 'wrong_train'];
export const BOARDING_OUTCOMES: BoardingOutcome[] = ['boarded', 'ticket_refused', 'not_enrolled', 'face_mismatch', 'liveness_failed', 'rejected_image'];

export const STATUS_COLOR: Record<TicketStatus, string> = { active: 'green', used: 'gray', cancelled: 'red' };
export const DECISION_COLOR: Record<TicketDecision, string> = {
  valid: 'green',
  already_used: 'orange',
  expired: 'gray',
  not_yet_valid: 'yellow',
  cancelled: 'red',
  unknown: 'red',
  wrong_train: 'orange',
};

/** `already_used` -> "already used". */
export const words = (value: string): string => value.replace(/_/g, ' ');

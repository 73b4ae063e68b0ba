import type { OutboxRecordView } from './outbox.view';

export const OUTBOX_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxRow {
  id: string;
  idempotency_key: string;
  event: string;
  order_id: string;
  /** jsonb: always the object OutboxWriter stored. */
  payload: object;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

export function mapOutboxRow(row: OutboxRow): OutboxRecordView {
  return {
    id: Number(row.id),
    idempotency_key: row.idempotency_key,
    event: row.event,
    order_id: row.order_id,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at.toISOString(),
    last_error: row.last_error,
    delivered_at: row.delivered_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    payload: row.payload,
  };
}

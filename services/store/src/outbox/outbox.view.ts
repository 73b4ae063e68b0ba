import { ApiProperty } from '@nestjs/swagger';
import { OutboxStatus } from './outbox.types';

/** One record of the accounting export (an order paid or cancelled), as operators see it. */
export class OutboxRecordView {
  id!: number;
  /** Sent with every delivery: the receiver drops repeats (delivery is at least once). */
  idempotency_key!: string;
  /** `order.paid` or `order.cancelled`. */
  event!: string;
  order_id!: string;
  /** pending: waiting for (another) attempt; delivered; failed: attempts used up, an operator may retry it. */
  status!: OutboxStatus;
  attempts!: number;
  next_attempt_at!: string;
  /** Why the last attempt failed. */
  last_error!: string | null;
  delivered_at!: string | null;
  created_at!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The JSON body the webhook receives.' })
  payload!: object;
}

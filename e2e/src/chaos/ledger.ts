import { TicketDecision } from '@fleet/contracts';
import { StationLedger } from '../simulator';

/**
 * Every write the fleet acknowledged during a chaos run, as its clients saw it. The invariants at
 * the end hold the databases, the index and the queues against this record: an acknowledged write
 * that is missing there is a lost write.
 */
export class Ledger implements StationLedger {
  readonly ticketChecks: Array<{ robotId: string; code: string; nonce: string; decision: TicketDecision; replayed: boolean }> = [];
  /** Order ids answered per idempotency key (a retry must answer the same id). */
  readonly orders = new Map<string, { orderIds: Set<string>; items: Array<{ product_id: string; quantity: number }> }>();
  readonly telemetry: Array<{ droneId: string; ts: string }> = [];
  /** A chat message is acknowledged when its sender receives it back with its `seq`. */
  readonly chat: Array<{ room: string; content: string; seq: number }> = [];
  /** Face enrolments answered 201: the engineer and how many templates they had then. */
  readonly enrolments: Array<{ engineerId: string; totalTemplates: number }> = [];
  /** Translation jobs answered 201. */
  readonly jobs: string[] = [];

  ticketChecked(check: Ledger['ticketChecks'][number]): void {
    this.ticketChecks.push(check);
  }

  orderPlaced(order: { key: string; orderId: string; items: Array<{ product_id: string; quantity: number }> }): void {
    const entry = this.orders.get(order.key) ?? { orderIds: new Set<string>(), items: order.items };
    entry.orderIds.add(order.orderId);
    this.orders.set(order.key, entry);
  }

  telemetryAccepted(sample: { droneId: string; ts: string }): void {
    this.telemetry.push(sample);
  }
}

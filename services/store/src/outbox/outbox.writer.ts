import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { mapOrder } from '../orders/order.dto';
import { StoredOrder } from '../orders/order.types';
import { OutboxRepository } from './outbox.repository';

/** Order statuses the accounting/CRM export hears about. */
const EXPORTED: Record<string, string> = { paid: 'order.paid', cancelled: 'order.cancelled' };

@Injectable()
export class OutboxWriter {
  constructor(private readonly outbox: OutboxRepository) {}

  /** Runs inside the status change's transaction, so a committed paid/cancelled order always has its record. */
  async recordIfExported(manager: EntityManager, stored: StoredOrder): Promise<void> {
    const event = EXPORTED[stored.order.status];
    if (!event) return;
    await this.outbox.add(manager, stored.order.id, event, { event, occurred_at: new Date().toISOString(), order: mapOrder(stored) });
  }
}

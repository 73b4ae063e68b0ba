import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BASE_SCHEMA } from '../database/base.schema';

/** What ordering needs to know about a passenger's ticket. */
export interface OrderTicket {
  code: string;
  passenger_name: string;
  status: 'active' | 'used' | 'cancelled';
  valid_from: Date;
  valid_until: Date;
}

/**
 * The narrow door from orders to tickets. Orders only read a ticket by code; they never consume
 * it (the passenger may already be through the gate). Kept as an interface so the tickets module
 * can provide its own (cached) lookup later without orders changing.
 */
export abstract class OrderTicketLookup {
  abstract findByCode(code: string): Promise<OrderTicket | null>;
}

/**
 * Reads the ticket table of base's own schema directly. The tickets module does not export a
 * lookup service yet; when it does, bind OrderTicketLookup to it instead (orders.module.ts).
 */
@Injectable()
export class SqlOrderTicketLookup extends OrderTicketLookup {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async findByCode(code: string): Promise<OrderTicket | null> {
    const rows: OrderTicket[] = await this.db.query(
      `SELECT code, passenger_name, status, valid_from, valid_until FROM "${BASE_SCHEMA}".ticket WHERE code = $1`,
      [code],
    );
    return rows[0] ?? null;
  }
}

/** Why `ticket` cannot be used to order at `now`, or undefined when it can. */
export function whyNotOrderable(ticket: OrderTicket | null, code: string, now: Date): { decision: string; reason: string } | undefined {
  if (!ticket) return { decision: 'unknown', reason: `No ticket has the code ${code}` };
  if (ticket.status === 'cancelled') return { decision: 'cancelled', reason: 'This ticket was cancelled' };
  if (now < ticket.valid_from) return { decision: 'not_yet_valid', reason: `This ticket is valid from ${ticket.valid_from.toISOString()}` };
  if (now >= ticket.valid_until) return { decision: 'expired', reason: `This ticket expired at ${ticket.valid_until.toISOString()}` };
  return undefined;
}

import { TicketDecision, TicketDirection, TicketResponse, TicketStatus } from '@fleet/contracts';

/** What a decision needs to know about a ticket; also what the Redis cache holds. */
export type TicketSnapshot = Pick<
  TicketResponse,
  'id' | 'code' | 'passenger_name' | 'train' | 'car' | 'seat' | 'departure_station' | 'valid_from' | 'valid_until' | 'status' | 'used_at'
>;

export interface Decision {
  decision: TicketDecision;
  reason: string;
}

/**
 * The rules of a ticket check, in order: unknown, cancelled, wrong train, then by direction.
 * Entry: already used, not yet valid, expired, else valid (and the caller consumes the ticket).
 * Exit: only "not yet valid" refuses; a used or expired ticket lets its passenger out.
 */
export function decide(ticket: TicketSnapshot | null, code: string, assignedTrain: string | null, direction: TicketDirection, now: Date): Decision {
  if (!ticket) return { decision: TicketDecision.Unknown, reason: `No ticket has the code ${code}` };
  if (ticket.status === TicketStatus.Cancelled) return { decision: TicketDecision.Cancelled, reason: 'This ticket was cancelled' };
  if (assignedTrain !== null && ticket.train !== assignedTrain) {
    return { decision: TicketDecision.WrongTrain, reason: `This ticket is for train ${ticket.train}; this robot serves train ${assignedTrain}` };
  }
  const at = now.getTime();
  if (at < Date.parse(ticket.valid_from)) return { decision: TicketDecision.NotYetValid, reason: `This ticket is valid from ${ticket.valid_from}` };
  if (direction === TicketDirection.Exit) return { decision: TicketDecision.Valid, reason: 'Exit allowed' };
  if (ticket.status === TicketStatus.Used) return { decision: TicketDecision.AlreadyUsed, reason: `This ticket was already used at ${ticket.used_at}` };
  if (at >= Date.parse(ticket.valid_until)) return { decision: TicketDecision.Expired, reason: `This ticket expired at ${ticket.valid_until}` };
  return { decision: TicketDecision.Valid, reason: validEntryReason(ticket) };
}

type Seat = Pick<TicketSnapshot, 'train' | 'car' | 'seat'>;

export function validEntryReason({ train, car, seat }: Seat): string {
  return `Welcome aboard train ${train}: car ${car}, seat ${seat}`;
}

/**
 * {@link validEntryReason} as a Postgres `format()` string (`%1$s` train, `%2$s` car, `%3$s`
 * seat), for the statement that consumes and records in one go: the text has one source.
 */
export const VALID_ENTRY_REASON_FORMAT = validEntryReason({ train: '\u0001', car: '\u0002', seat: '\u0003' })
  .replaceAll('%', '%%')
  .replace('\u0001', '%1$s')
  .replace('\u0002', '%2$s')
  .replace('\u0003', '%3$s');

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TicketDecision, TicketDirection, TicketStatus } from '@fleet/contracts';
import { decide, TicketSnapshot, VALID_ENTRY_REASON_FORMAT } from './ticket-decision';

const NOW = new Date('2026-11-23T12:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

function ticket(overrides: Partial<TicketSnapshot> = {}): TicketSnapshot {
  return {
    id: 't1', code: 'ABC-1', passenger_name: 'Ada', train: 'IC-1', car: '3', seat: '12B', departure_station: 'Central',
    valid_from: at(-60), valid_until: at(60), status: TicketStatus.Active, used_at: null, ...overrides,
  };
}

describe(decide.name, () => {
  const { Entry, Exit } = TicketDirection;
  const cases: Array<[string, TicketSnapshot | null, string | null, TicketDirection, TicketDecision]> = [
    ['unknown code', null, null, Entry, TicketDecision.Unknown],
    ['active, inside the window', ticket(), null, Entry, TicketDecision.Valid],
    ['used', ticket({ status: TicketStatus.Used, used_at: at(-5) }), null, Entry, TicketDecision.AlreadyUsed],
    ['cancelled beats everything', ticket({ status: TicketStatus.Cancelled, train: 'X', valid_until: at(-1) }), 'IC-1', Entry, TicketDecision.Cancelled],
    ['wrong train beats the window', ticket({ train: 'IC-9', valid_from: at(10) }), 'IC-1', Entry, TicketDecision.WrongTrain],
    ['the right train', ticket(), 'IC-1', Entry, TicketDecision.Valid],
    ['not yet valid', ticket({ valid_from: at(1) }), null, Entry, TicketDecision.NotYetValid],
    ['valid_until is exclusive', ticket({ valid_until: at(0) }), null, Entry, TicketDecision.Expired],
    ['valid_from is inclusive', ticket({ valid_from: at(0) }), null, Entry, TicketDecision.Valid],
    ['exit with a used ticket', ticket({ status: TicketStatus.Used, used_at: at(-5) }), null, Exit, TicketDecision.Valid],
    ['exit after expiry', ticket({ valid_until: at(-1) }), null, Exit, TicketDecision.Valid],
    ['exit before the window', ticket({ valid_from: at(5) }), null, Exit, TicketDecision.NotYetValid],
    ['exit of a cancelled ticket', ticket({ status: TicketStatus.Cancelled }), null, Exit, TicketDecision.Cancelled],
  ];
  for (const [name, snapshot, assignedTrain, direction, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      const verdict = decide(snapshot, 'ABC-1', assignedTrain, direction, NOW);
      assert.equal(verdict.decision, expected);
      assert.ok(verdict.reason.length > 0);
    });
  }

  it('says where to sit when the ticket is valid, and which train the robot serves when it is not', () => {
    assert.equal(decide(ticket(), 'ABC-1', null, Entry, NOW).reason, 'Welcome aboard train IC-1: car 3, seat 12B');
    assert.equal(decide(ticket({ train: 'IC-9' }), 'ABC-1', 'IC-1', Entry, NOW).reason, 'This ticket is for train IC-9; this robot serves train IC-1');
  });

  it('gives Postgres the same valid-entry reason as a format() string (the one-statement entry records it)', () => {
    // Postgres format(): %n$s is the n-th argument, %% a percent sign; nothing else is special.
    const pgFormat = (format: string, ...args: string[]) => format.replace(/%(?:(\d)\$s|%)/g, (_, n?: string) => (n ? args[Number(n) - 1] : '%'));
    for (const seat of [ticket(), ticket({ train: 'IC-100%', car: '%1$s', seat: '7%%' })]) {
      assert.equal(pgFormat(VALID_ENTRY_REASON_FORMAT, seat.train, seat.car, seat.seat), decide(seat, 'ABC-1', null, Entry, NOW).reason);
    }
  });
});

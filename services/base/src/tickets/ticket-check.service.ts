import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { AuthUser } from '@fleet/auth';
import { TicketCheckResponse, TicketDecision, TicketDirection } from '@fleet/contracts';
import { RobotDirectory } from '../robots/robot-directory';
import { TicketCache } from './ticket-cache';
import { TicketChecksRepository, StoredCheck } from './ticket-checks.repository';
import { decide, TicketSnapshot } from './ticket-decision';
import { snapshotOf, TicketsRepository } from './tickets.repository';
import { TicketCheckDto } from './tickets.dto';

interface Outcome {
  check: StoredCheck;
  ticket: TicketSnapshot | null;
  replayed: boolean;
  /** The ticket changed in this check (consumed, or found changed): the cache must get the new state. */
  changed: boolean;
  /** Read from Postgres on a cache miss: fill the cache. */
  loaded: boolean;
}

function response(outcome: Outcome): TicketCheckResponse {
  const { check, ticket } = outcome;
  return {
    check_id: check.id,
    decision: check.decision,
    reason: check.reason,
    direction: check.direction,
    replayed: outcome.replayed,
    checked_at: check.checked_at,
    ticket: ticket ? { code: ticket.code, passenger_name: ticket.passenger_name, train: ticket.train, car: ticket.car, seat: ticket.seat } : null,
  };
}

/**
 * `POST /robot/tickets/check`. One transaction per check: lock the (robot, nonce) pair, return
 * the stored decision if that scan was seen, else decide, consume on a valid entry (conditional
 * UPDATE: exactly once across robots and instances) and record the decision.
 */
@Injectable()
export class TicketCheckService {
  private readonly logger = new Logger(TicketCheckService.name);

  constructor(
    private readonly robots: RobotDirectory,
    private readonly tickets: TicketsRepository,
    private readonly checks: TicketChecksRepository,
    private readonly cache: TicketCache,
  ) {}

  async check(user: AuthUser, dto: TicketCheckDto): Promise<TicketCheckResponse> {
    const started = Date.now();
    const robot = await this.robots.resolve(user);
    const cached = await this.cache.get(dto.code);
    const outcome = await this.checks.transaction(async (manager): Promise<Outcome> => {
      await this.checks.lockNonce(manager, robot.id, dto.nonce);
      const previous = await this.checks.getByNonce(manager, robot.id, dto.nonce);
      const loaded = cached === undefined;
      let ticket = cached ?? (await this.loadSnapshot(dto.code, manager));
      if (previous) {
        if (previous.ticket_code !== dto.code || previous.direction !== dto.direction) {
          throw new ConflictException(`Nonce ${dto.nonce} was already used by this robot for another scan (${previous.ticket_code}, ${previous.direction})`);
        }
        return { check: previous, ticket, replayed: true, changed: false, loaded };
      }
      const now = new Date();
      let verdict = decide(ticket, dto.code, robot.assigned_train, dto.direction, now);
      let changed = false;
      if (ticket && verdict.decision === TicketDecision.Valid && dto.direction === TicketDirection.Entry) {
        const consumed = await this.tickets.consume(manager, ticket.id, robot.id, now);
        // Lost the race (or the cache was behind): decide again on the committed row.
        ticket = consumed ? snapshotOf(consumed) : await this.loadSnapshot(dto.code, manager);
        if (!consumed) verdict = decide(ticket, dto.code, robot.assigned_train, dto.direction, now);
        if (!consumed && verdict.decision === TicketDecision.Valid) throw new Error(`Ticket ${dto.code} was valid but could not be consumed`);
        changed = true;
      }
      const check = await this.checks.create(manager, {
        robot_id: robot.id, nonce: dto.nonce, ticket_code: dto.code, ticket_id: ticket?.id ?? null,
        direction: dto.direction, decision: verdict.decision, reason: verdict.reason,
      });
      return { check, ticket, replayed: false, changed, loaded };
    });
    if (outcome.ticket && outcome.changed) await this.cache.put(outcome.ticket);
    else if (outcome.ticket && outcome.loaded) await this.cache.fill(outcome.ticket);
    this.logger.debug(`Check ${outcome.check.id} robot=${robot.id} code=${dto.code} ${outcome.check.decision}${outcome.replayed ? ' (replay)' : ''} in ${Date.now() - started} ms`);
    return response(outcome);
  }

  private async loadSnapshot(code: string, manager: Parameters<TicketsRepository['getByCode']>[1]): Promise<TicketSnapshot | null> {
    const ticket = await this.tickets.getByCode(code, manager);
    return ticket ? snapshotOf(ticket) : null;
  }
}

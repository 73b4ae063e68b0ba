import { ConflictException, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuthUser } from '@fleet/auth';
import { TicketCheckResponse, TicketDecision, TicketDirection, TicketStatus } from '@fleet/contracts';
import { DatabaseConflictCode, isConflict } from '@fleet/database';
import { RobotRow } from '../robots/robots.repository';
import { RobotDirectory } from '../robots/robot-directory';
import { TicketCache } from './ticket-cache';
import { ConsumedEntry, NewCheck, StoredCheck, TicketChecksRepository, TicketSeat } from './ticket-checks.repository';
import { decide, TicketSnapshot } from './ticket-decision';
import { snapshotOf, TicketsRepository } from './tickets.repository';
import { TicketCheckDto } from './tickets.dto';
import { ticketChecks } from './ticket.metrics';

interface Outcome<T extends TicketSeat = TicketSeat> {
  check: StoredCheck;
  ticket: T | null;
  replayed: boolean;
  path?: 'fast' | 'slow';
}

function response({ check, ticket, replayed }: Outcome): TicketCheckResponse {
  return {
    check_id: check.id,
    decision: check.decision,
    reason: check.reason,
    direction: check.direction,
    replayed,
    checked_at: check.checked_at,
    ticket: ticket ? { code: ticket.code, passenger_name: ticket.passenger_name, train: ticket.train, car: ticket.car, seat: ticket.seat } : null,
  };
}

/**
 * `POST /robot/tickets/check`. An entry scan first tries to consume the ticket and record the
 * valid decision in one statement, without reading it first (most scans are a first entry on a
 * ticket nobody has looked up yet, so there is nothing cached to read). Otherwise the decision is
 * made on the ticket's snapshot (Redis, which holds only used and cancelled tickets, else Postgres),
 * and Postgres settles what the snapshot cannot:
 * - a valid entry consumes and records in one statement (a conditional UPDATE: exactly once
 *   across robots and instances);
 * - any other decision is recorded with ON CONFLICT on (robot, nonce);
 * - a nonce seen before (a retry) gets the stored decision back, and changes nothing;
 * - a lost race or a stale snapshot falls back to one transaction that serialises on the
 *   (robot, nonce) pair and decides again on the committed row.
 */
@Injectable()
export class TicketCheckService {
  constructor(
    private readonly robots: RobotDirectory,
    private readonly tickets: TicketsRepository,
    private readonly checks: TicketChecksRepository,
    private readonly cache: TicketCache,
  ) {}

  async check(user: AuthUser, dto: TicketCheckDto): Promise<TicketCheckResponse> {
    const robot = await this.robots.resolve(user);
    const outcome = (await this.enterAtOnce(robot, dto)) ?? (await this.decideOnSnapshot(robot, dto));
    ticketChecks.inc({ decision: outcome.check.decision, direction: outcome.check.direction, path: outcome.replayed ? 'replay' : (outcome.path ?? 'fast') });
    return response(outcome);
  }

  /** A valid entry in one statement; undefined for anything else (nothing written then). */
  private async enterAtOnce(robot: RobotRow, dto: TicketCheckDto): Promise<Outcome | undefined> {
    if (dto.direction !== TicketDirection.Entry) return undefined;
    let entry: ConsumedEntry | null;
    try {
      entry = await this.checks.consumeByCodeAndRecord(robot.id, dto.nonce, dto.code, robot.assigned_train, new Date());
    } catch (error) {
      // A retry of a scan that consumed another ticket, or a race: the snapshot path answers it.
      if (isConflict(error, DatabaseConflictCode.Duplicate)) return undefined;
      throw error;
    }
    // Nothing to write to the cache: it never holds an active ticket, and the first read of the used one fills it.
    return entry ? { check: entry.check, ticket: entry.ticket, replayed: false } : undefined;
  }

  private async decideOnSnapshot(robot: RobotRow, dto: TicketCheckDto): Promise<Outcome<TicketSnapshot>> {
    const cached = await this.cache.get(dto.code);
    const ticket = cached === undefined ? await this.loadSnapshot(dto.code) : cached;
    const outcome = (await this.fastPath(robot, dto, ticket)) ?? { ...(await this.slowPath(robot, dto)), path: 'slow' as const };
    // The committed state the check ended on; the cache keeps it only if it is final (used, cancelled).
    if (outcome.ticket && outcome.ticket !== cached) await this.cache.remember(outcome.ticket);
    return outcome;
  }

  /** One statement in the common cases; undefined when the slow path must decide. */
  private async fastPath(robot: RobotRow, dto: TicketCheckDto, ticket: TicketSnapshot | null): Promise<Outcome<TicketSnapshot> | undefined> {
    const now = new Date();
    const verdict = decide(ticket, dto.code, robot.assigned_train, dto.direction, now);
    const record: NewCheck = { robot_id: robot.id, nonce: dto.nonce, ticket_code: dto.code, ticket_id: ticket?.id ?? null, direction: dto.direction, ...verdict };
    if (!(ticket && verdict.decision === TicketDecision.Valid && dto.direction === TicketDirection.Entry)) {
      const check = await this.checks.recordIfNew(record, now);
      return check ? { check, ticket, replayed: false } : this.replay(robot, dto, ticket);
    }
    try {
      const check = await this.checks.consumeAndRecord(record, now);
      if (!check) return undefined;
      return { check, ticket: { ...ticket, status: TicketStatus.Used, used_at: check.checked_at }, replayed: false };
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) return this.replay(robot, dto, ticket);
      throw error;
    }
  }

  /** The decision stored for this (robot, nonce); 409 when the nonce came with another scan. */
  private async replay(robot: RobotRow, dto: TicketCheckDto, ticket: TicketSnapshot | null, manager?: EntityManager): Promise<Outcome<TicketSnapshot>> {
    const previous = await this.checks.getByNonce(robot.id, dto.nonce, manager);
    // Only a conflicting transaction that rolled back leaves no row; the robot may retry.
    if (!previous) throw new ServiceUnavailableException('The scan collided with a retry of itself that failed; send it again');
    if (previous.ticket_code !== dto.code || previous.direction !== dto.direction) {
      throw new ConflictException(`Nonce ${dto.nonce} was already used by this robot for another scan (${previous.ticket_code}, ${previous.direction})`);
    }
    return { check: previous, ticket, replayed: true };
  }

  /** One transaction, serialised per (robot, nonce), deciding on the committed row. */
  private slowPath(robot: RobotRow, dto: TicketCheckDto): Promise<Outcome<TicketSnapshot>> {
    return this.checks.transaction(async (manager): Promise<Outcome<TicketSnapshot>> => {
      await this.checks.lockNonce(manager, robot.id, dto.nonce);
      let ticket = await this.loadSnapshot(dto.code, manager);
      if (await this.checks.getByNonce(robot.id, dto.nonce, manager)) return this.replay(robot, dto, ticket, manager);
      const now = new Date();
      let verdict = decide(ticket, dto.code, robot.assigned_train, dto.direction, now);
      if (ticket && verdict.decision === TicketDecision.Valid && dto.direction === TicketDirection.Entry) {
        const consumed = await this.tickets.consume(manager, ticket.id, robot.id, now);
        ticket = consumed ? snapshotOf(consumed) : await this.loadSnapshot(dto.code, manager);
        if (!consumed) verdict = decide(ticket, dto.code, robot.assigned_train, dto.direction, now);
        if (!consumed && verdict.decision === TicketDecision.Valid) throw new Error(`Ticket ${dto.code} was valid but could not be consumed`);
      }
      const check = await this.checks.create(manager, { robot_id: robot.id, nonce: dto.nonce, ticket_code: dto.code, ticket_id: ticket?.id ?? null, direction: dto.direction, ...verdict });
      return { check, ticket, replayed: false };
    });
  }

  private async loadSnapshot(code: string, manager?: EntityManager): Promise<TicketSnapshot | null> {
    const ticket = await this.tickets.getByCode(code, manager);
    return ticket ? snapshotOf(ticket) : null;
  }
}

import { randomUUID } from 'node:crypto';
import { BadRequestException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuthUser } from '@fleet/auth';
import { CheckLiveness, EnrollFace, ForgetFace, Page, RpcErrorCode, TicketDecision, TicketDirection, VerifyFace } from '@fleet/contracts';
import { toPage } from '@fleet/database';
import { RpcClient, RpcError } from '@fleet/messaging';
import { BASE_CONFIG, BaseConfig } from '../config/base.config';
import { PageQueryDto } from '../paging/paging.dto';
import { RobotDirectory } from '../robots/robot-directory';
import { TicketCheckService } from '../tickets/ticket-check.service';
import { decide } from '../tickets/ticket-decision';
import { snapshotOf, TicketsRepository } from '../tickets/tickets.repository';
import { TicketsService } from '../tickets/tickets.service';
import { BoardingDecisionRecord, boardingSignatureValid, signBoardingDecision } from './boarding-signature';
import { BOARDING_MIN_FRAME_VARIATION, BoardingDto, BoardingOutcome, BoardingResponse, passengerPersonId } from './boarding.dto';
import { BoardingDecisionFilter, BoardingRepository, StoredBoardingDecision } from './boarding.repository';
import { BoardingDecisionAuditView, BoardingDecisionListItemView, PassengerEnrollmentView, PassengerForgottenView } from './boarding.view';

const FACE_DEADLINE_MS = 10_000;
const ENROLL_DEADLINE_MS = 30_000;
type Liveness = BoardingDecisionRecord['liveness'];

/**
 * One-step boarding: the ticket is decided first; only a ticket that would be let in costs a face
 * check (1:1 against the passenger enrolled for it) and, where configured, liveness. Only then is
 * the ticket consumed, through the same ticket check as a plain scan (exactly once, nonce-keyed).
 * A non-match never consumes the ticket. Every attempt leaves one signed decision record.
 */
@Injectable()
export class BoardingService {
  private readonly logger = new Logger(BoardingService.name);

  constructor(
    @Inject(BASE_CONFIG) private readonly config: BaseConfig,
    private readonly rpc: RpcClient,
    private readonly robots: RobotDirectory,
    private readonly tickets: TicketsRepository,
    private readonly ticketAdmin: TicketsService,
    private readonly checks: TicketCheckService,
    private readonly decisions: BoardingRepository,
  ) {}

  async board(user: AuthUser, dto: BoardingDto, frames: Express.Multer.File[]): Promise<BoardingResponse> {
    if (frames.length === 0) throw new BadRequestException('Send the camera frames in the multipart field "frames" (or one in "image")');
    const robot = await this.robots.resolve(user);
    const row = await this.tickets.getByCode(dto.code);
    const ticket = row ? snapshotOf(row) : null;
    const preliminary = decide(ticket, dto.code, robot.assigned_train, TicketDirection.Entry, new Date());
    const draft = { robot_id: robot.id, ticket_code: dto.code, ticket_id: ticket?.id ?? null };
    if (!ticket || preliminary.decision !== TicketDecision.Valid) return this.checkTicket(user, dto, draft, null, null);

    let face: BoardingResponse['face'];
    try {
      const verified = await this.rpc.call(VerifyFace, { personId: passengerPersonId(ticket.id), image: frames[0].buffer }, { deadlineMs: FACE_DEADLINE_MS });
      face = { match: verified.match, similarity: verified.similarity, threshold: verified.threshold };
    } catch (error) {
      if (!(error instanceof RpcError) || (error.code !== RpcErrorCode.NotFound && error.code !== RpcErrorCode.InvalidParams)) throw error;
      const outcome: BoardingOutcome = error.code === RpcErrorCode.NotFound ? 'not_enrolled' : 'rejected_image';
      return this.record({ ...draft, ticket_decision: preliminary.decision, ticket_check_id: null, outcome }, preliminary.reason, null, null);
    }
    const liveness = await this.liveness(frames);
    if (!face.match) return this.record({ ...draft, ticket_decision: preliminary.decision, ticket_check_id: null, outcome: 'face_mismatch' }, preliminary.reason, face, liveness);
    if (liveness && !liveness.passed) return this.record({ ...draft, ticket_decision: preliminary.decision, ticket_check_id: null, outcome: 'liveness_failed' }, preliminary.reason, face, liveness);
    return this.checkTicket(user, dto, draft, face, liveness);
  }

  /** The ticket check proper (records the scan; consumes a valid entry exactly once). */
  private async checkTicket(user: AuthUser, dto: BoardingDto, draft: Pick<BoardingDecisionRecord, 'robot_id' | 'ticket_code' | 'ticket_id'>, face: BoardingResponse['face'], liveness: Liveness): Promise<BoardingResponse> {
    const check = await this.checks.check(user, { code: dto.code, nonce: dto.nonce, direction: TicketDirection.Entry });
    const outcome: BoardingOutcome = check.decision === TicketDecision.Valid ? 'boarded' : 'ticket_refused';
    return this.record({ ...draft, ticket_decision: check.decision, ticket_check_id: check.check_id, outcome }, check.reason, face, liveness);
  }

  private async liveness(frames: Express.Multer.File[]): Promise<Liveness> {
    const mode = this.config.boarding.liveness;
    if (mode === 'off') return null;
    if (frames.length < 2) return { mode, passed: false };
    const result = await this.rpc.call(CheckLiveness, { frames: frames.map((file) => file.buffer) }, { deadlineMs: FACE_DEADLINE_MS });
    const moving = (result.frameVariation ?? 0) >= BOARDING_MIN_FRAME_VARIATION;
    return { mode, passed: mode === 'motion' ? moving : moving && result.live, frame_variation: result.frameVariation, live_score: result.liveScore };
  }

  private async record(
    fields: Omit<BoardingDecisionRecord, 'id' | 'decided_at' | 'face_similarity' | 'face_threshold' | 'liveness'>,
    reason: string,
    face: BoardingResponse['face'],
    liveness: Liveness,
  ): Promise<BoardingResponse> {
    const record: BoardingDecisionRecord = { id: randomUUID(), ...fields, face_similarity: face?.similarity ?? null, face_threshold: face?.threshold ?? null, liveness, decided_at: new Date().toISOString() };
    const signature = signBoardingDecision(record, this.config.boarding.signingKey);
    await this.decisions.create(record, signature);
    this.logger.log(`Boarding ${record.id} robot=${record.robot_id} code=${record.ticket_code}: ${record.outcome} (ticket ${record.ticket_decision}, face ${face?.similarity ?? '-'})`);
    return {
      decision_id: record.id,
      boarded: record.outcome === 'boarded',
      outcome: record.outcome as BoardingOutcome,
      ticket: { decision: record.ticket_decision as TicketDecision, reason, check_id: record.ticket_check_id, consumed: record.outcome === 'boarded' },
      face,
      liveness,
      decided_at: record.decided_at,
      signature,
    };
  }

  /** A stored decision with its signature checked again (an altered row reads `signature_valid: false`). */
  async audit(id: string): Promise<BoardingDecisionAuditView> {
    const stored = await this.decisions.getById(id);
    if (!stored) throw new NotFoundException(`Boarding decision ${id} not found`);
    return this.verified(stored);
  }

  /** The decision log, newest first, every row's signature checked again (the key never leaves the service). */
  async list(filter: BoardingDecisionFilter, page: PageQueryDto): Promise<Page<BoardingDecisionListItemView>> {
    const { rows, total } = await this.decisions.getPage(filter, page.limit, page.offset);
    return toPage(rows.map((row) => ({ ...this.verified(row), robot_name: row.robot_name })), total, page);
  }

  private verified({ record, signature }: StoredBoardingDecision): BoardingDecisionAuditView {
    return { ...record, signature, signature_valid: boardingSignatureValid(record, signature, this.config.boarding.signingKey) };
  }

  async enrollPassenger(ticketId: string, photos: Express.Multer.File[] | undefined): Promise<PassengerEnrollmentView> {
    if (!photos?.length) throw new BadRequestException('Send one or more photos in the multipart field "images"');
    await this.ticketAdmin.get(ticketId);
    const result = await this.rpc.call(EnrollFace, { personId: passengerPersonId(ticketId), images: photos.map((file) => file.buffer) }, { deadlineMs: ENROLL_DEADLINE_MS });
    return { ticket_id: ticketId, templates_added: result.templates.length, total_templates: result.totalTemplates };
  }

  async forgetPassenger(ticketId: string): Promise<PassengerForgottenView> {
    await this.ticketAdmin.get(ticketId);
    const result = await this.rpc.call(ForgetFace, { personId: passengerPersonId(ticketId) }, { deadlineMs: FACE_DEADLINE_MS });
    return { ticket_id: ticketId, templates_removed: result.templatesRemoved };
  }
}

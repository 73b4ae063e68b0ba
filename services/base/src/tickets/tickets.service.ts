import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuthUser } from '@fleet/auth';
import { Page, TicketCheckRecord, TicketImportRejection, TicketImportReport, TicketResponse } from '@fleet/contracts';
import { toPage } from '@fleet/database';
import { PageQueryDto } from '../paging/paging.dto';
import { TicketCache } from './ticket-cache';
import { CheckFilter, TicketChecksRepository } from './ticket-checks.repository';
import { codeOf, ImportRow, validateRow, windowErrors } from './ticket-import';
import { snapshotOf, TicketFilter, TicketsRepository } from './tickets.repository';
import { CreateTicketDto } from './tickets.dto';

@Injectable()
export class TicketsService {
  private readonly logger = new Logger(TicketsService.name);

  constructor(
    private readonly tickets: TicketsRepository,
    private readonly checks: TicketChecksRepository,
    private readonly cache: TicketCache,
  ) {}

  async create(user: AuthUser, dto: CreateTicketDto): Promise<TicketResponse> {
    const errors = windowErrors(dto);
    if (errors.length) throw new BadRequestException(errors.join('; '));
    const ticket = await this.tickets.create(dto, user.sub);
    if (!ticket) throw new ConflictException(`A ticket with the code ${dto.code} exists already`);
    this.logger.log(`Ticket ${ticket.code} created by ${user.sub}`);
    return ticket;
  }

  /**
   * Creates every valid row whose code is new; rejects the others with their row number and
   * every reason. Valid rows are stored even when others are rejected.
   */
  async import(user: AuthUser, rows: ImportRow[]): Promise<TicketImportReport> {
    const started = Date.now();
    const rejected: TicketImportRejection[] = [];
    const accepted: Array<{ row: number; ticket: CreateTicketDto }> = [];
    const seen = new Map<string, number>();
    for (const { row, value, problem } of rows) {
      const { ticket, errors } = validateRow(value);
      if (problem) errors.unshift(problem);
      const code = ticket?.code ?? codeOf(value);
      const firstRow = code !== null ? seen.get(code) : undefined;
      if (firstRow !== undefined) errors.push(`code ${code} appears already in row ${firstRow} of this import`);
      else if (code !== null) seen.set(code, row);
      if (ticket && errors.length === 0) accepted.push({ row, ticket });
      else rejected.push({ row, code, errors });
    }
    const existing = await this.tickets.getExistingCodes(accepted.map(({ ticket }) => ticket.code));
    const fresh = accepted.filter(({ row, ticket }) => {
      if (!existing.has(ticket.code)) return true;
      rejected.push({ row, code: ticket.code, errors: [`a ticket with the code ${ticket.code} exists already`] });
      return false;
    });
    const created = new Set((await this.tickets.importMany(fresh.map(({ ticket }) => ticket), user.sub)).map((ticket) => ticket.code));
    // Created by someone else between the lookup and the insert.
    for (const { row, ticket } of fresh) {
      if (!created.has(ticket.code)) rejected.push({ row, code: ticket.code, errors: [`a ticket with the code ${ticket.code} exists already`] });
    }
    rejected.sort((a, b) => a.row - b.row);
    this.logger.log(`Import by ${user.sub}: ${rows.length} rows, ${created.size} created, ${rejected.length} rejected in ${Date.now() - started} ms`);
    return { received: rows.length, created: created.size, rejected };
  }

  async get(id: string): Promise<TicketResponse> {
    const ticket = await this.tickets.getById(id);
    if (!ticket) throw new NotFoundException(`Ticket ${id} not found`);
    return ticket;
  }

  async list(filter: TicketFilter, page: PageQueryDto): Promise<Page<TicketResponse>> {
    const { rows, total } = await this.tickets.getPage(filter, page.limit, page.offset);
    return toPage(rows, total, page);
  }

  async cancel(user: AuthUser, id: string, reason: string | undefined): Promise<TicketResponse> {
    const ticket = await this.tickets.cancel(id, reason ?? null);
    if (!ticket) {
      const current = await this.get(id);
      throw new ConflictException(`Ticket ${current.code} is ${current.status}; only an active ticket can be cancelled`);
    }
    await this.cache.remember(snapshotOf(ticket));
    this.logger.log(`Ticket ${ticket.code} cancelled by ${user.sub}`);
    return ticket;
  }

  async listChecks(filter: CheckFilter, page: PageQueryDto): Promise<Page<TicketCheckRecord>> {
    const { rows, total } = await this.checks.getPage(filter, page.limit, page.offset);
    return toPage(rows, total, page);
  }
}

import { BadRequestException, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, UnsupportedMediaTypeException, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { AuthUser, CurrentUser, Roles } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { RobotRateLimitGuard } from '../robots/robot-rate-limit.guard';
import { TicketCheckService } from './ticket-check.service';
import { readTextBody, rowsFromCsv, rowsFromJson } from './ticket-import';
import { CancelTicketDto, CreateTicketDto, TicketCheckDto, TicketCheckListQueryDto, TicketListQueryDto } from './tickets.dto';
import { TicketsService } from './tickets.service';
import { TicketCheckRecordView, TicketCheckResultView, TicketImportReportView, TicketView } from './tickets.view';

/** Operators manage tickets (`/base_api/admin/tickets`). */
@Controller('admin/tickets')
@Roles(Role.Operator, Role.Admin)
export class TicketsAdminController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateTicketDto): Promise<TicketView> {
    return this.tickets.create(user, dto);
  }

  /** `text/csv` (header row + one ticket per row) or `application/json` (array, or `{ tickets }`). */
  @Post('import')
  @HttpCode(200)
  async import(@CurrentUser() user: AuthUser, @Req() request: Request, @Body() body: unknown): Promise<TicketImportReportView> {
    if (request.is('text/csv')) return this.tickets.import(user, rowsFromCsv(await readTextBody(request)));
    if (request.is('application/json')) return this.tickets.import(user, rowsFromJson(body));
    throw new UnsupportedMediaTypeException('Send the tickets as text/csv or application/json');
  }

  @Get()
  @ApiPage(TicketView)
  list(@Query() query: TicketListQueryDto): Promise<Page<TicketView>> {
    const { limit, offset, ...filter } = query;
    return this.tickets.list(filter, { limit, offset });
  }

  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TicketView> {
    return this.tickets.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() dto: CancelTicketDto): Promise<TicketView> {
    return this.tickets.cancel(user, id, dto.reason);
  }
}

/** Operators review every recorded check (`/base_api/admin/ticket-checks`). */
@Controller('admin/ticket-checks')
@Roles(Role.Operator, Role.Admin)
export class TicketChecksAdminController {
  constructor(private readonly tickets: TicketsService) {}

  @Get()
  @ApiPage(TicketCheckRecordView, 'Newest first.')
  list(@Query() query: TicketCheckListQueryDto): Promise<Page<TicketCheckRecordView>> {
    const { limit, offset, ...filter } = query;
    if (filter.from && filter.to && filter.from >= filter.to) throw new BadRequestException('from must be before to');
    return this.tickets.listChecks(filter, { limit, offset });
  }
}

/** The robot checks a passenger's ticket (`POST /base_api/robot/tickets/check`). */
@Controller('robot/tickets')
@Roles(Role.Robot)
@UseGuards(RobotRateLimitGuard)
export class TicketCheckController {
  constructor(private readonly checks: TicketCheckService) {}

  @Post('check')
  @HttpCode(200)
  check(@CurrentUser() user: AuthUser, @Body() dto: TicketCheckDto): Promise<TicketCheckResultView> {
    return this.checks.check(user, dto);
  }
}

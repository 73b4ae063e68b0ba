import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional } from 'class-validator';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { ApiPage } from '@fleet/openapi';
import { Page, PageQueryDto } from '../common/paging.dto';
import { OutboxService } from './outbox.service';
import { OUTBOX_STATUSES, OutboxStatus } from './outbox.types';
import { OutboxRecordView } from './outbox.view';

export class OutboxQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES })
  @IsOptional() @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;
}

/** The accounting export as operators see it: what is pending, delivered, failed (and why); retry a failed one. */
@ApiTags('accounting export')
@ApiBearerAuth()
@Controller('admin/outbox')
@Roles(Role.Operator, Role.Admin)
export class OutboxController {
  constructor(private readonly outbox: OutboxService) {}

  @Get()
  @ApiPage(OutboxRecordView, 'Newest first.')
  getRecords(@Query() query: OutboxQueryDto): Promise<Page<OutboxRecordView>> {
    return this.outbox.getRecords(query.status, query.limit, query.offset);
  }

  @Post(':id/retry')
  @HttpCode(200)
  retry(@Param('id', ParseIntPipe) id: number): Promise<OutboxRecordView> {
    return this.outbox.retry(id);
  }
}

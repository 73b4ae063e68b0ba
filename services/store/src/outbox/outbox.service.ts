import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { toPage } from '@fleet/database';
import { Page } from '../common/paging.dto';
import { OutboxRepository } from './outbox.repository';
import { mapOutboxRow, OutboxStatus } from './outbox.types';
import { OutboxRecordView } from './outbox.view';

@Injectable()
export class OutboxService {
  private readonly logger = new Logger(OutboxService.name);

  constructor(private readonly outbox: OutboxRepository) {}

  async getRecords(status: OutboxStatus | undefined, limit: number, offset: number): Promise<Page<OutboxRecordView>> {
    const [rows, total] = await this.outbox.getPage(status, limit, offset);
    return toPage(rows.map(mapOutboxRow), total, { limit, offset });
  }

  async retry(id: number): Promise<OutboxRecordView> {
    // Ids are bigserial; anything past 2^53 cannot be one we handed out (and would overflow the query).
    if (!Number.isSafeInteger(id) || id < 1) throw new BadRequestException('id must be a positive integer');
    const row = await this.outbox.requeue(id);
    if (row) {
      this.logger.log(`Outbox ${id} queued again by an operator`);
      return mapOutboxRow(row);
    }
    if (await this.outbox.getById(id)) throw new ConflictException(`Outbox record ${id} was delivered already`);
    throw new NotFoundException(`Outbox record ${id} not found`);
  }
}

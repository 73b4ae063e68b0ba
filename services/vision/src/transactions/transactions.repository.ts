import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, IsNull, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { writeOrConflict } from '@fleet/database';
import { TransactionEntity, TransactionStatus } from './transaction.entity';

@Injectable()
export class TransactionsRepository {
  constructor(@InjectRepository(TransactionEntity) private readonly transactions: Repository<TransactionEntity>) {}

  /** A kit that is already out (one open loan per kit, a unique index) is a DatabaseConflict. */
  create(row: Partial<TransactionEntity>): Promise<TransactionEntity> {
    return writeOrConflict(() => this.transactions.save(this.transactions.create(row)));
  }

  getById(id: string): Promise<TransactionEntity | null> {
    return this.transactions.findOneBy({ id });
  }

  getOpenForToolkit(toolkitId: string): Promise<TransactionEntity | null> {
    return this.transactions.findOneBy({ toolkitId, returnedAt: IsNull() });
  }

  /** Newest first, and the count under the same filter. */
  list(filter: { status?: TransactionStatus; toolkitId?: string; engineerId?: string }, page: { limit: number; offset: number }): Promise<[TransactionEntity[], number]> {
    const where: FindOptionsWhere<TransactionEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.toolkitId) where.toolkitId = filter.toolkitId;
    if (filter.engineerId) where.engineerId = filter.engineerId;
    return this.transactions.findAndCount({ where, order: { issuedAt: 'DESC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  /** Closes an open loan; false when it was already returned (a concurrent return won). */
  async closeIfOpen(id: string, changes: QueryDeepPartialEntity<TransactionEntity>): Promise<boolean> {
    const result = await this.transactions.update({ id, returnedAt: IsNull() }, changes);
    return (result.affected ?? 0) > 0;
  }

  /** Records an operator's decision on a loan under review; false when it is no longer under review. */
  async resolveIfInReview(id: string, changes: QueryDeepPartialEntity<TransactionEntity>): Promise<boolean> {
    const result = await this.transactions.update({ id, status: TransactionStatus.NeedsReview }, changes);
    return (result.affected ?? 0) > 0;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, IsNull, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TransactionEntity, TransactionStatus } from './transaction.entity';

@Injectable()
export class TransactionsRepository {
  constructor(@InjectRepository(TransactionEntity) private readonly transactions: Repository<TransactionEntity>) {}

  create(row: Partial<TransactionEntity>): Promise<TransactionEntity> {
    return this.transactions.save(this.transactions.create(row));
  }

  getById(id: string): Promise<TransactionEntity | null> {
    return this.transactions.findOneBy({ id });
  }

  getOpenForToolkit(toolkitId: string): Promise<TransactionEntity | null> {
    return this.transactions.findOneBy({ toolkitId, returnedAt: IsNull() });
  }

  list(filter: { status?: TransactionStatus; toolkitId?: string; engineerId?: string }, limit: number): Promise<TransactionEntity[]> {
    const where: FindOptionsWhere<TransactionEntity> = {};
    if (filter.status) where.status = filter.status;
    if (filter.toolkitId) where.toolkitId = filter.toolkitId;
    if (filter.engineerId) where.engineerId = filter.engineerId;
    return this.transactions.find({ where, order: { issuedAt: 'DESC' }, take: limit });
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

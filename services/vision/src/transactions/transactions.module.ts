import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { EngineersModule } from '../engineers/engineers.module';
import { PredictModule } from '../predict/predict.module';
import { TransactionEntity } from './transaction.entity';
import { TransactionsController } from './transactions.controller';
import { TransactionsRepository } from './transactions.repository';
import { TransactionsService } from './transactions.service';

/** Toolkits issued to engineers and returned with photos; the review of doubtful returns. */
@Module({
  imports: [TypeOrmModule.forFeature([TransactionEntity]), CatalogueModule, EngineersModule, PredictModule],
  controllers: [TransactionsController],
  providers: [TransactionsRepository, TransactionsService],
})
export class TransactionsModule {}

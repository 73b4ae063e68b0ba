import { Module } from '@nestjs/common';
import { OutboxController } from './outbox.controller';
import { OutboxDeliverer } from './outbox.deliverer';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { OutboxWriter } from './outbox.writer';

/** Accounting/CRM export: the transactional outbox, its webhook deliverer and the operators' view. */
@Module({
  controllers: [OutboxController],
  providers: [OutboxRepository, OutboxWriter, OutboxService, OutboxDeliverer],
  exports: [OutboxWriter],
})
export class OutboxModule {}

import { Module } from '@nestjs/common';
import { RobotsModule } from '../robots/robots.module';
import { TicketCache } from './ticket-cache';
import { TicketCheckService } from './ticket-check.service';
import { TicketChecksRepository } from './ticket-checks.repository';
import { TicketCheckController, TicketChecksAdminController, TicketsAdminController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/** Tickets: admin, imports, the robot's check with its record, and the Redis lookup cache. */
@Module({
  imports: [RobotsModule],
  controllers: [TicketsAdminController, TicketChecksAdminController, TicketCheckController],
  providers: [TicketsRepository, TicketChecksRepository, TicketCache, TicketsService, TicketCheckService],
  exports: [TicketsRepository, TicketsService, TicketCheckService],
})
export class TicketsModule {}

import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EngineerChangedEvent, EngineerCreatedEvent, EngineerDeactivatedEvent, EngineerEventParams } from '@fleet/contracts';
import { EventHandler } from '@fleet/messaging';
import { EngineersRepository } from './engineers.repository';

/**
 * Mirrors base's engineers from its events (every event carries the full state and a version),
 * so a toolkit can be issued to an engineer without asking base or the robot for names.
 */
@Controller()
export class EngineerEventsController {
  private readonly logger = new Logger(EngineerEventsController.name);

  constructor(private readonly engineers: EngineersRepository) {}

  @EventHandler(EngineerCreatedEvent)
  created(@Payload() event: EngineerEventParams): Promise<void> {
    return this.apply('created', event);
  }

  @EventHandler(EngineerChangedEvent)
  changed(@Payload() event: EngineerEventParams): Promise<void> {
    return this.apply('changed', event);
  }

  @EventHandler(EngineerDeactivatedEvent)
  deactivated(@Payload() event: EngineerEventParams): Promise<void> {
    return this.apply('deactivated', event);
  }

  private async apply(kind: string, event: EngineerEventParams): Promise<void> {
    const applied = await this.engineers.applyIfNewer({
      id: event.engineer_id,
      employeeNumber: event.employee_number,
      name: event.name,
      active: event.active,
      version: event.version,
      updatedAt: new Date(event.occurred_at),
    });
    this.logger.log(`Engineer ${event.engineer_id} ${kind} v${event.version}: ${applied ? 'applied' : 'ignored (not newer)'}`);
  }
}

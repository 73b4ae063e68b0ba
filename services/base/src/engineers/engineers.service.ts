import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Page, EngineerChangedEvent, EngineerCreatedEvent, EngineerDeactivatedEvent } from '@fleet/contracts';
import { PageQueryDto } from '../paging/paging.dto';
import { DatabaseConflictCode, isConflict, toPage } from '@fleet/database';
import { EngineerEventRelay } from './engineer-event-relay';
import { CreateEngineerDto, UpdateEngineerDto } from './engineers.dto';
import { EngineerOutboxView, EngineerView, RobotUserView } from './engineers.view';
import { EngineerFilter, EngineersRepository } from './engineers.repository';

@Injectable()
export class EngineersService {
  private readonly logger = new Logger(EngineersService.name);

  constructor(
    private readonly engineers: EngineersRepository,
    private readonly relay: EngineerEventRelay,
  ) {}

  async register(dto: CreateEngineerDto): Promise<EngineerView> {
    const engineer = await this.uniqueNumber(dto.employee_number, () =>
      this.engineers.create({ ...dto, email: dto.email ?? null, phone: dto.phone ?? null }, EngineerCreatedEvent.name),
    );
    this.logger.log(`Engineer ${engineer.id} (${engineer.employee_number}) registered`);
    this.relay.kick();
    return engineer;
  }

  async update(id: string, dto: UpdateEngineerDto): Promise<EngineerView> {
    const engineer = await this.uniqueNumber(dto.employee_number, () => this.engineers.update(id, dto, EngineerChangedEvent.name));
    if (!engineer) throw new NotFoundException(`Engineer ${id} not found`);
    this.relay.kick();
    return engineer;
  }

  async deactivate(id: string): Promise<EngineerView> {
    const engineer = await this.engineers.deactivate(id, EngineerDeactivatedEvent.name);
    if (!engineer) {
      await this.get(id);
      throw new ConflictException(`Engineer ${id} is deactivated already`);
    }
    this.logger.log(`Engineer ${engineer.id} (${engineer.employee_number}) deactivated`);
    this.relay.kick();
    return engineer;
  }

  async get(id: string): Promise<EngineerView> {
    const engineer = await this.engineers.getById(id);
    if (!engineer) throw new NotFoundException(`Engineer ${id} not found`);
    return engineer;
  }

  async list(filter: EngineerFilter, page: PageQueryDto): Promise<Page<EngineerView>> {
    const { rows, total } = await this.engineers.getPage(filter, page.limit, page.offset);
    return toPage(rows, total, page);
  }

  /** What the robot shows: a display name (given name and initial), roles, whether active; no contact data, no employee number. */
  async robotView(id: string): Promise<RobotUserView> {
    const engineer = await this.get(id);
    return { id: engineer.id, display_name: `${engineer.first_name} ${engineer.last_name.charAt(0)}.`, roles: engineer.roles, active: engineer.active };
  }

  events(): Promise<EngineerOutboxView> {
    return this.engineers.getOutboxState();
  }

  private async uniqueNumber<T>(employeeNumber: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) throw new ConflictException(`Employee number ${employeeNumber} belongs to another engineer`);
      throw error;
    }
  }
}

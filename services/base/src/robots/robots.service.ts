import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Page, RobotResponse } from '@fleet/contracts';
import { AuthUser } from '@fleet/auth';
import { PageQueryDto } from '../paging/paging.dto';
import { HeartbeatDto, RegisterRobotDto, UpdateRobotDto } from './robots.dto';
import { RobotDirectory } from './robot-directory';
import { RobotPresence } from './robot-presence';
import { DatabaseConflictCode, isConflict, toPage } from '@fleet/database';
import { RobotRow, RobotsRepository } from './robots.repository';

function mapRobot(row: RobotRow, online: boolean): RobotResponse {
  return { ...row, online, created_at: row.created_at.toISOString() };
}

@Injectable()
export class RobotsService {
  private readonly logger = new Logger(RobotsService.name);

  constructor(
    private readonly robots: RobotsRepository,
    private readonly presence: RobotPresence,
    private readonly directory: RobotDirectory,
  ) {}

  async register(dto: RegisterRobotDto): Promise<RobotResponse> {
    try {
      const row = await this.robots.create({ ...dto, assigned_train: dto.assigned_train ?? null });
      this.logger.log(`Registered robot ${row.id} "${row.name}" (client ${row.keycloak_client_id})`);
      return mapRobot(row, false);
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) throw new ConflictException('A robot with this name or Keycloak client id exists already');
      throw error;
    }
  }

  async update(id: string, dto: UpdateRobotDto): Promise<RobotResponse> {
    let row: RobotRow | null;
    try {
      row = await this.robots.update(id, dto);
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) throw new ConflictException('A robot with this name exists already');
      throw error;
    }
    if (!row) throw new NotFoundException(`Robot ${id} not found`);
    this.directory.forget(row.keycloak_client_id);
    if (!row.active) await this.presence.markOffline(row.id);
    return mapRobot(row, (await this.presence.onlineOf([row.id])).has(row.id));
  }

  async get(id: string): Promise<RobotResponse> {
    const row = await this.robots.getById(id);
    if (!row) throw new NotFoundException(`Robot ${id} not found`);
    return mapRobot(row, (await this.presence.onlineOf([row.id])).has(row.id));
  }

  async list(filter: { station?: string; online?: boolean }, page: PageQueryDto): Promise<Page<RobotResponse>> {
    const onlineIds = filter.online === undefined ? undefined : await this.presence.onlineIds();
    const { rows, total } = await this.robots.getPage({ ...filter, onlineIds }, page.limit, page.offset);
    const online = await this.presence.onlineOf(rows.map((row) => row.id));
    return toPage(rows.map((row) => mapRobot(row, online.has(row.id))), total, page);
  }

  /** Records the robot's status (Postgres, last one wins) and marks it online (Redis, expiring). */
  async heartbeat(user: AuthUser, dto: HeartbeatDto): Promise<{ robot_id: string; online_for_seconds: number; received_at: string }> {
    const robot = await this.directory.resolve(user);
    const received_at = new Date().toISOString();
    await this.robots.saveStatus(robot.id, { battery: dto.battery, state: dto.state, ...(dto.position ? { position: { ...dto.position } } : {}), received_at });
    await this.presence.markOnline(robot.id);
    return { robot_id: robot.id, online_for_seconds: this.presence.ttlSeconds, received_at };
  }
}

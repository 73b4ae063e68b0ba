import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Page, RobotResponse, Role } from '@fleet/contracts';
import { AuthUser, ClientProvisioner } from '@fleet/auth';
import { PageQueryDto } from '../paging/paging.dto';
import { HeartbeatDto, RegisterRobotDto, UpdateRobotDto } from './robots.dto';
import { RobotDirectory } from './robot-directory';
import { RobotEditBroadcast } from './robot-edit-broadcast';
import { RobotPresence } from './robot-presence';
import { DatabaseConflictCode, isConflict, toPage } from '@fleet/database';
import { RobotRow, RobotsRepository } from './robots.repository';

function mapRobot(row: RobotRow, online: boolean): RobotResponse {
  return { ...row, online, created_at: row.created_at.toISOString() };
}

/** The robot's client secret, answered once: at registration and when it is rotated. */
export interface RobotCredentials {
  client_id: string;
  /** Null when the client existed before (made by hand) or no provisioner is configured. */
  client_secret: string | null;
}

@Injectable()
export class RobotsService {
  private readonly logger = new Logger(RobotsService.name);

  constructor(
    private readonly robots: RobotsRepository,
    private readonly presence: RobotPresence,
    private readonly directory: RobotDirectory,
    private readonly edits: RobotEditBroadcast,
    private readonly clients: ClientProvisioner,
  ) {}

  /**
   * Registers the robot and makes its confidential client in the identity provider (role robot),
   * answering the client secret once. If the client cannot be made, the registration is undone.
   */
  async register(dto: RegisterRobotDto): Promise<RobotResponse & RobotCredentials> {
    let row: RobotRow;
    try {
      row = await this.robots.create({ ...dto, assigned_train: dto.assigned_train ?? null });
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) throw new ConflictException('A robot with this name or Keycloak client id exists already');
      throw error;
    }
    let secret: string | null = null;
    if (this.clients.enabled) {
      try {
        secret = (await this.clients.provision(row.keycloak_client_id, Role.Robot)).secret;
      } catch (error) {
        await this.robots.deleteById(row.id);
        throw error;
      }
    }
    // An adopted client may have called before it was registered: no instance keeps refusing it.
    await this.edits.announce(row.keycloak_client_id);
    this.logger.log(`Registered robot ${row.id} "${row.name}" (client ${row.keycloak_client_id}${this.clients.enabled ? (secret ? ', created' : ', adopted') : ''})`);
    return { ...mapRobot(row, false), client_id: row.keycloak_client_id, client_secret: secret };
  }

  /** A new client secret for the robot; the old one stops working at once. */
  async rotateSecret(id: string): Promise<RobotCredentials> {
    const row = await this.robots.getById(id);
    if (!row) throw new NotFoundException(`Robot ${id} not found`);
    const { secret } = await this.clients.rotateSecret(row.keycloak_client_id);
    return { client_id: row.keycloak_client_id, client_secret: secret };
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
    // Before the answer: from here on, every instance refuses a deactivated robot's current token (403).
    await this.edits.announce(row.keycloak_client_id);
    if (!row.active) await this.presence.markOffline(row.id);
    // A deactivated robot gets no new token either.
    if (dto.active !== undefined && this.clients.enabled) await this.clients.setEnabled(row.keycloak_client_id, row.active);
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

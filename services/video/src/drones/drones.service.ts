import { randomBytes } from 'node:crypto';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import Redis from 'ioredis';
import { ClientProvisioner } from '@fleet/auth';
import { Page, Role } from '@fleet/contracts';
import { DatabaseConflictCode, isConflict, pageOfList, PageRequest } from '@fleet/database';
import { REDIS } from '@fleet/redis';
import { STREAM_KEYS_CHANNEL, Drone } from './drone.types';
import { CreateDroneDto, UpdateDroneDto } from './drones.dto';
import { DroneClientSecretView, DroneView, DroneWithKeyView, mapDrone, mapDroneWithKey } from './drones.view';
import { DronesRepository } from './drones.repository';

/** 32 random bytes, base64url: within node-media-server's stream-name alphabet [A-Za-z0-9_-]. */
export function newStreamKey(): string {
  return randomBytes(32).toString('base64url');
}

/** Drone administration. Every key change is announced so the ingest refuses old keys at once. */
@Injectable()
export class DronesService {
  private readonly logger = new Logger(DronesService.name);

  constructor(
    private readonly drones: DronesRepository,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly clients: ClientProvisioner,
  ) {}

  /**
   * Registers the drone with a new stream key and makes its confidential client in the identity
   * provider (role drone); both secrets are answered once. If the client cannot be made, the
   * registration is undone.
   */
  async register(dto: CreateDroneDto): Promise<DroneWithKeyView> {
    const drone = await this.unique(() =>
      this.drones.create({ name: dto.name, keycloakClientId: dto.keycloak_client_id, streamKey: newStreamKey(), record: dto.record ?? false }),
    );
    let clientSecret: string | null = null;
    if (this.clients.enabled) {
      try {
        clientSecret = (await this.clients.provision(drone.keycloakClientId, Role.Drone)).secret;
      } catch (error) {
        await this.drones.deleteById(drone.id);
        throw error;
      }
    }
    this.logger.log(`drone ${drone.id} registered (client ${drone.keycloakClientId})`);
    await this.announceKeys();
    return { ...mapDroneWithKey(drone), client_secret: clientSecret };
  }

  /** A new secret for the drone's identity client; the old one stops working at once. */
  async rotateClientSecret(id: string): Promise<DroneClientSecretView> {
    const drone = await this.findOrFail(id);
    if (drone.retiredAt) throw new ConflictException(`Drone ${drone.id} is retired`);
    const { secret } = await this.clients.rotateSecret(drone.keycloakClientId);
    return { client_id: drone.keycloakClientId, client_secret: secret };
  }

  /** Drones are a short table (one row per aircraft): read whole, paged in memory. */
  async list(includeRetired: boolean, page: PageRequest): Promise<Page<DroneView>> {
    return pageOfList((await this.drones.getAll(includeRetired)).map(mapDrone), page);
  }

  async get(id: string): Promise<DroneView> {
    return mapDrone(await this.findOrFail(id));
  }

  async update(id: string, dto: UpdateDroneDto): Promise<DroneView> {
    const drone = await this.unique(() => this.drones.update(id, { name: dto.name, keycloakClientId: dto.keycloak_client_id, record: dto.record }));
    return mapDrone(drone ?? (await this.activeOrFail(id)));
  }

  async rotateKey(id: string): Promise<DroneWithKeyView> {
    const drone = (await this.drones.rotateKey(id, newStreamKey())) ?? (await this.activeOrFail(id));
    this.logger.log(`drone ${id}: stream key rotated`);
    await this.announceKeys();
    return mapDroneWithKey(drone);
  }

  async retire(id: string): Promise<DroneView> {
    const drone = (await this.drones.retire(id)) ?? (await this.activeOrFail(id));
    this.logger.log(`drone ${id} retired`);
    await this.announceKeys();
    // A retired drone gets no token any more.
    if (this.clients.enabled) await this.clients.setEnabled(drone.keycloakClientId, false);
    return mapDrone(drone);
  }

  async findOrFail(id: string): Promise<Drone> {
    const drone = await this.drones.getById(id);
    if (!drone) throw new NotFoundException(`No drone ${id}`);
    return drone;
  }

  /** Used after an UPDATE matched nothing: says whether the drone is missing or retired. */
  private async activeOrFail(id: string): Promise<never> {
    const drone = await this.findOrFail(id);
    throw new ConflictException(`Drone ${drone.id} is retired`);
  }

  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isConflict(error, DatabaseConflictCode.Duplicate)) throw new ConflictException('An active drone already uses this keycloak_client_id');
      throw error;
    }
  }

  /** Best effort: the ingest also reloads its keys periodically, so a lost message heals itself. */
  private async announceKeys(): Promise<void> {
    await this.redis.publish(STREAM_KEYS_CHANNEL, String(Date.now())).catch((error: Error) => {
      this.logger.warn(`cannot announce a stream key change (the ingest picks it up within its reload period): ${error.message}`);
    });
  }
}

import { ForbiddenException, Injectable } from '@nestjs/common';
import { AuthUser } from '@fleet/auth';
import { RobotRow, RobotsRepository } from './robots.repository';

/** How long a resolved robot is reused; an edit (train, deactivation) reaches every instance within it. */
const CACHE_MS = 5000;

/**
 * Maps a robot's token to its registration: the token's `azp` (the Keycloak client the robot
 * signs in as) is the robot's `keycloak_client_id`. Robot routes call this on every request, so
 * results are kept briefly in memory.
 */
@Injectable()
export class RobotDirectory {
  private readonly cache = new Map<string, { robot: RobotRow | null; until: number }>();

  constructor(private readonly robots: RobotsRepository) {}

  /** The caller's active robot registration; 403 when there is none. */
  async resolve(user: AuthUser): Promise<RobotRow> {
    const clientId = user.clientId ?? user.sub;
    const robot = await this.lookup(clientId);
    if (!robot) throw new ForbiddenException(`No robot is registered for client "${clientId}"; an operator must register it first`);
    if (!robot.active) throw new ForbiddenException(`Robot "${robot.name}" is deactivated`);
    return robot;
  }

  /** Drops cached entries after an edit on this instance (others catch up within CACHE_MS). */
  forget(clientId: string): void {
    this.cache.delete(clientId);
  }

  private async lookup(clientId: string): Promise<RobotRow | null> {
    const hit = this.cache.get(clientId);
    if (hit && hit.until > Date.now()) return hit.robot;
    const robot = await this.robots.getByClientId(clientId);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(clientId, { robot, until: Date.now() + CACHE_MS });
    return robot;
  }
}

import { ForbiddenException, Injectable, OnModuleDestroy } from '@nestjs/common';
import { AuthUser } from '@fleet/auth';
import { RobotRow, RobotsRepository } from './robots.repository';

/** How long a resolved robot is reused when no edit is announced (RobotEditBroadcast announces edits at once). */
const CACHE_MS = 5000;
/** Entries in use are reloaded together this often, well inside CACHE_MS, so they never expire while used. */
const REFRESH_MS = CACHE_MS / 2;
/** An entry nobody asked for in this long is dropped instead of refreshed. */
const IDLE_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  robot: RobotRow | null;
  /** When the query that read `robot` started: the entry is as fresh as that. */
  loadedAt: number;
  usedAt: number;
  /** The order of that query's start (or of the forget) among this directory's reads and forgets. */
  seq: number;
  /**
   * A tombstone left by `forget`: it answers nothing, and it turns away a read that started before
   * the edit was announced (that read may hold the row from before the edit).
   */
  forgotten?: boolean;
}

/**
 * Maps a robot's token to its registration: the token's `azp` (the Keycloak client the robot
 * signs in as) is the robot's `keycloak_client_id`. Robot routes call this on every request, so
 * results are kept briefly in memory, and the robots in use are reloaded in ONE query every
 * REFRESH_MS instead of one query per robot and CACHE_MS (with a station's robots each checking
 * a ticket every few seconds, those lookups were a fifth of base's queries).
 */
@Injectable()
export class RobotDirectory implements OnModuleDestroy {
  private readonly cache = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;
  private refreshing = false;
  /** Orders reads and forgets (a clock's milliseconds could not tell a read from a forget of the same one). */
  private sequence = 0;
  private forgottenAllSeq = 0;
  /**
   * Whether a cached entry may answer: RobotEditBroadcast makes it false while edits made on other
   * instances could not reach this one; then every lookup reads Postgres.
   */
  cacheTrusted: () => boolean = () => true;

  constructor(private readonly robots: RobotsRepository) {
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** The caller's active robot registration; 403 when there is none. */
  async resolve(user: AuthUser): Promise<RobotRow> {
    const clientId = user.clientId ?? user.sub;
    const robot = await this.lookup(clientId);
    if (!robot) throw new ForbiddenException(`No robot is registered for client "${clientId}"; an operator must register it first`);
    if (!robot.active) throw new ForbiddenException(`Robot "${robot.name}" is deactivated`);
    return robot;
  }

  /** Drops a robot's cached entry after an edit (RobotEditBroadcast calls it on every instance). */
  forget(clientId: string): void {
    const now = Date.now();
    this.cache.set(clientId, { robot: null, loadedAt: now, usedAt: now, seq: ++this.sequence, forgotten: true });
  }

  /** Drops every entry, and every read in flight. */
  forgetAll(): void {
    this.cache.clear();
    this.forgottenAllSeq = ++this.sequence;
  }

  private async lookup(clientId: string): Promise<RobotRow | null> {
    const now = Date.now();
    const hit = this.cache.get(clientId);
    if (hit && !hit.forgotten && now - hit.loadedAt < CACHE_MS && this.cacheTrusted()) {
      hit.usedAt = now;
      return hit.robot;
    }
    const seq = ++this.sequence;
    const robot = await this.robots.getByClientId(clientId);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.store(clientId, robot, now, seq);
    return robot;
  }

  /** Keeps the later of two reads; a read that started before a `forget` (or `forgetAll`) never comes back after it. */
  private store(clientId: string, robot: RobotRow | null, loadedAt: number, seq: number, onlyIfPresent = false): void {
    if (seq < this.forgottenAllSeq) return;
    const entry = this.cache.get(clientId);
    if (entry && entry.seq > seq) return;
    if (!entry && onlyIfPresent) return;
    this.cache.set(clientId, { robot, loadedAt, usedAt: entry?.usedAt ?? loadedAt, seq });
  }

  /** One query for every entry used lately; on failure the entries simply age and load one by one. */
  private async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const started = Date.now();
      const seq = ++this.sequence;
      for (const [clientId, entry] of this.cache) if (started - entry.usedAt > IDLE_MS) this.cache.delete(clientId);
      if (this.cache.size === 0) return;
      const clientIds = [...this.cache.keys()];
      const rows = await this.robots.getByClientIds(clientIds);
      for (const clientId of clientIds) this.store(clientId, rows.get(clientId) ?? null, started, seq, true);
    } catch {
      // Postgres unreachable: the next lookups after CACHE_MS query (and fail) on their own.
    } finally {
      this.refreshing = false;
    }
  }
}

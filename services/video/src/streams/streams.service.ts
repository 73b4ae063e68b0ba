import { Injectable } from '@nestjs/common';
import { Page } from '@fleet/contracts';
import { pageOfList, PageRequest, toPage } from '@fleet/database';
import { DronesService } from '../drones/drones.service';
import { DronesRepository } from '../drones/drones.repository';
import { LiveRegistry } from './live-registry';
import { SessionFilter, SessionsRepository, StreamSessionRow } from './sessions.repository';
import { StreamStats } from './stream.types';
import { StreamSessionView } from './streams.view';

/** Live statistics (from the registry every ingest refreshes) and the connection history. */
@Injectable()
export class StreamsService {
  constructor(
    private readonly registry: LiveRegistry,
    private readonly drones: DronesService,
    private readonly droneRows: DronesRepository,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Every active drone, live or not. */
  async all(page: PageRequest): Promise<Page<StreamStats>> {
    const [drones, live] = await Promise.all([this.droneRows.getAll(false), this.registry.getAll()]);
    const byDrone = new Map(live.map((stats) => [stats.drone_id, stats]));
    return pageOfList(drones.map((drone) => byDrone.get(drone.id) ?? { drone_id: drone.id, live: false }), page);
  }

  async ofDrone(droneId: string): Promise<StreamStats> {
    await this.drones.findOrFail(droneId);
    return (await this.registry.get(droneId)) ?? { drone_id: droneId, live: false };
  }

  async history(filter: SessionFilter): Promise<Page<StreamSessionView>> {
    if (filter.droneId) await this.drones.findOrFail(filter.droneId);
    const { rows, total } = await this.sessions.list(filter);
    return toPage(rows.map(mapSession), total, filter);
  }
}

function mapSession(row: StreamSessionRow): StreamSessionView {
  return {
    id: row.id,
    drone_id: row.drone_id,
    kind: row.kind,
    client_address: row.client_address,
    instance: row.instance,
    started_at: row.started_at.toISOString(),
    ended_at: row.ended_at?.toISOString() ?? null,
    duration_s: row.ended_at ? (row.ended_at.getTime() - row.started_at.getTime()) / 1000 : null,
    bytes: Number(row.bytes),
    video: { codec: row.video_codec, width: row.width, height: row.height, fps: row.fps },
    end_reason: row.end_reason,
  };
}

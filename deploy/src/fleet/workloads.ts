import { FLEET_SERVICES, serviceFolderOf, type FleetServiceSpec } from '@fleet/local-fleet';
import { DetectImage, ExtractAudio, IdentifyFace } from '@fleet/contracts';
import { isSizedComponent, type SizedComponent } from './resources.js';

/**
 * One process kind of the fleet, as gateway/local's table names it (the same table `npm start`
 * runs): a Deployment in the cluster. A worker pool is an entry without a public path.
 */
export interface Workload {
  name: string;
  /** Folder under services/: the image and the Postgres role `svc_<service>`. */
  service: string;
  /** The script under services/<service>/dist/ the container runs. */
  entry: string;
  publicPath: string | null;
  sizing: SizedComponent;
}

/**
 * How each worker pool scales: KEDA reads the depth of the RabbitMQ queue its contract names.
 * `perReplica` is the backlog one replica is expected to work off; every pool must have an entry.
 */
export interface PoolScaling {
  queue: string;
  perReplica: number;
  min: number;
  max: number;
  /**
   * Never scale in while work is queued or running, only to zero once the queue (ready and unacked)
   * has been empty for the cooldown: for stages that run for hours, where a pod removed mid-stage
   * would redo it elsewhere (and count a delivery towards dead-lettering).
   */
  scaleInOnlyToZero: boolean;
}

export const POOL_SCALING: Record<string, PoolScaling> = {
  // identify/verify take milliseconds (bench:face); RMQ_PREFETCH 32 runs many at once.
  face: { queue: IdentifyFace.queue, perReplica: 16, min: 2, max: 10, scaleInOnlyToZero: false },
  // VISION_WORKER_CONCURRENCY 1: one photo at a time; a backlog of 4 is at most 4 detections of wait.
  'vision-worker': { queue: DetectImage.queue, perReplica: 4, min: 1, max: 20, scaleInOnlyToZero: false },
  // TRANSLATOR_WORKER_CONCURRENCY 1: one stage at a time, minutes to hours each. Nothing to translate: no pod.
  'translator-worker': { queue: ExtractAudio.queue, perReplica: 1, min: 0, max: 10, scaleInOnlyToZero: true },
};

function sizingOf(spec: FleetServiceSpec): SizedComponent {
  if (!isSizedComponent(spec.name)) throw new Error(`${spec.name} has no requests and limits: add it to deploy/src/fleet/resources.ts`);
  return spec.name;
}

export function fleetWorkloads(): Workload[] {
  return FLEET_SERVICES.map((spec) => ({
    name: spec.name,
    service: serviceFolderOf(spec),
    entry: spec.entry ?? 'src/main.js',
    publicPath: spec.publicPath,
    sizing: sizingOf(spec),
  }));
}

export const isWorkerPool = (workload: Workload): boolean => workload.publicPath === null;

/** The services that own a schema and so a migration (one per folder, worker pools share theirs). */
export function migratedServices(): string[] {
  return [...new Set(fleetWorkloads().map((workload) => workload.service))];
}

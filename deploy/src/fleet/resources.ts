import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IIoK8sApiCoreV1ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import { REPO_ROOT } from '@fleet/local-fleet';
import { capacityFigures, memoryPerReplica, SIZED_SERVICES, type BenchResults, type Figure, type SizedService } from '@fleet/local-fleet/dist/src/capacity/index.js';

/**
 * Requests and limits of every container the fleet runs, in one table.
 *
 * Memory requests of the services come from what our benchmarks measured: bench/results.json, the
 * file `npm run bench:*` writes, read through the capacity model (gateway/local/src/capacity), so a
 * pod reserves exactly what `npm run capacity` counts per replica: the largest resident set a bench
 * saw for that process (idle, serving 1,000 chat sockets, a 200 MB ZIP, a 100k-template search...)
 * times the model's memory headroom. Run the benches again and the next synth follows.
 * Memory limits are compose's (set from measurements under load: compose.yml); a measured request
 * above its limit raises the limit to it (a limit below the request is refused by the API server).
 * Components no bench measures (nginx, ChromaDB, the migrations) keep fixed requests, each with its reason.
 * CPU: requests are what an instance needs to stay responsive idle, limits one or two cores, so
 * that the HPA's CPU target (a share of the request) turns into replicas before throttling does.
 */
interface Sizing {
  cpu: [request: string, limit: string];
  /** A measured service's request comes from bench/results.json; the others say theirs here. */
  memory: { limitMi: number; requestMi?: number };
}

const SIZING = {
  // Chat sockets and the Redis cache on top of the idle process; compose: 512M.
  base: { cpu: ['100m', '1'], memory: { limitMi: 512 } },
  store: { cpu: ['100m', '1'], memory: { limitMi: 512 } },
  // ONNX models (detect, landmark, feature, liveness) resident; compose: 512M.
  face: { cpu: ['250m', '2'], memory: { limitMi: 512 } },
  video: { cpu: ['100m', '1'], memory: { limitMi: 512 } },
  // bench:video: 30 publishers of 500 kbps cost 14.4 % of a core on the ingest, plus ffmpeg per recording.
  'video-ingest': { cpu: ['250m', '2'], memory: { limitMi: 512 } },
  translator: { cpu: ['100m', '1'], memory: { limitMi: 512 } },
  // ffmpeg, pocketsphinx, apertium and espeak-ng run as children of one stage at a time; compose: 1G.
  'translator-worker': { cpu: ['1', '2'], memory: { limitMi: 1024 } },
  // Streams uploads and ZIPs to shared storage; compose: 768M.
  vision: { cpu: ['200m', '1'], memory: { limitMi: 768 } },
  'vision-worker': { cpu: ['1', '2'], memory: { limitMi: 512 } },
  // The one-shot migrations: a Node process and a pg client, not benchmarked; compose: 256M.
  migrate: { cpu: ['50m', '500m'], memory: { requestMi: 128, limitMi: 256 } },
  // nginx with the console's static files, not benchmarked; compose: 128M.
  gateway: { cpu: ['100m', '1'], memory: { requestMi: 64, limitMi: 128 } },
  // 10k × 512-d vectors: ~140 MB RSS (TOOLCHAIN), 100k several times that; compose: 1G for growth.
  chromadb: { cpu: ['250m', '1'], memory: { requestMi: 512, limitMi: 1024 } },
} as const satisfies Record<string, Sizing>;

export type SizedComponent = keyof typeof SIZING;

/** Where bench/results.json is; `FLEET_BENCH_RESULTS` points the synth at another run's file. */
export function benchResultsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.FLEET_BENCH_RESULTS ?? path.join(REPO_ROOT, 'bench', 'results.json'));
}

let measured: Record<SizedService, Figure> | undefined;

/** The peak resident set per replica of each measured service, as the capacity model reads it. */
export function measuredPeakRss(): Record<SizedService, Figure> {
  measured ??= capacityFigures(JSON.parse(readFileSync(benchResultsFile(), 'utf8')) as BenchResults).rssMb;
  return measured;
}

const isMeasured = (component: string): component is SizedService => (SIZED_SERVICES as readonly string[]).includes(component);

/** The memory a replica of `component` reserves, in MiB: the capacity model's figure per replica where a bench measured it. */
export function memoryRequestMi(component: SizedComponent, peaks: () => Record<SizedService, Figure> = measuredPeakRss): number {
  const fixed: Sizing['memory'] = SIZING[component].memory;
  if (fixed.requestMi !== undefined) return fixed.requestMi;
  if (!isMeasured(component)) throw new Error(`${component} has neither a measured nor a fixed memory request`);
  return memoryPerReplica(peaks()[component].value);
}

export function resourcesOf(component: SizedComponent, peaks?: () => Record<SizedService, Figure>): IIoK8sApiCoreV1ResourceRequirements {
  const { cpu, memory } = SIZING[component];
  const request = memoryRequestMi(component, peaks);
  return {
    requests: { cpu: cpu[0], memory: `${request}Mi` },
    limits: { cpu: cpu[1], memory: `${Math.max(memory.limitMi, request)}Mi` },
  };
}

/** Operator-managed state, sized in their custom resources. */
export const STATE_SIZING = {
  // compose: 1G for one instance; three instances (one primary, two replicas).
  postgres: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
  // compose: 512M for one node; quorum queues keep their log in memory until it is flushed.
  rabbitmq: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
  // compose: 256M; a cache and pub/sub, nothing persisted.
  redis: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } },
  // compose: 1536M.
  keycloak: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '1536Mi' } },
} as const;

export function isSizedComponent(name: string): name is SizedComponent {
  return Object.hasOwn(SIZING, name);
}

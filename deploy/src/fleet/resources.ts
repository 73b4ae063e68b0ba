import type { IIoK8sApiCoreV1ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

/**
 * Requests and limits of every container the fleet runs, in one table.
 *
 * Memory: `npm run bench:memory` measures an idle Nest process of the fleet at 84–188 MB RSS; the
 * request sits above the idle figure of that process kind, the limit is compose's (measured under
 * load when each was set: compose.yml). Where a bench measured a peak, it says so below.
 * CPU: requests are what an instance needs to stay responsive idle, limits one or two cores, so
 * that the HPA's CPU target (a share of the request) turns into replicas before throttling does.
 */
interface Sizing {
  cpu: [request: string, limit: string];
  memory: [request: string, limit: string];
}

const SIZING = {
  // Chat sockets and the Redis cache on top of the idle process; compose: 512M.
  base: { cpu: ['100m', '1'], memory: ['256Mi', '512Mi'] },
  store: { cpu: ['100m', '1'], memory: ['192Mi', '512Mi'] },
  // ONNX models (detect, landmark, feature, liveness) resident; compose: 512M.
  face: { cpu: ['250m', '2'], memory: ['384Mi', '512Mi'] },
  // bench:video: ~150 MB RSS with 30 publishers' viewers proxied; compose: 512M.
  video: { cpu: ['100m', '1'], memory: ['256Mi', '512Mi'] },
  // bench:video: 30 publishers of 500 kbps cost 14.4 % of a core on the ingest, plus ffmpeg per recording.
  'video-ingest': { cpu: ['250m', '2'], memory: ['256Mi', '512Mi'] },
  translator: { cpu: ['100m', '1'], memory: ['256Mi', '512Mi'] },
  // ffmpeg, pocketsphinx, apertium and espeak-ng run as children of one stage at a time; compose: 1G.
  'translator-worker': { cpu: ['1', '2'], memory: ['512Mi', '1Gi'] },
  // Streams uploads and ZIPs to shared storage; compose: 768M.
  vision: { cpu: ['200m', '1'], memory: ['384Mi', '768Mi'] },
  // bench:vision: 246 MB peak per worker on a 200 MB ZIP of large photos (MALLOC_ARENA_MAX=2); compose: 512M.
  'vision-worker': { cpu: ['1', '2'], memory: ['320Mi', '512Mi'] },
  // The one-shot migrations; compose: 256M.
  migrate: { cpu: ['50m', '500m'], memory: ['128Mi', '256Mi'] },
  // nginx with the console's static files; compose: 128M.
  gateway: { cpu: ['100m', '1'], memory: ['64Mi', '128Mi'] },
  // 10k × 512-d vectors: ~140 MB RSS (TOOLCHAIN); compose: 1G for growth.
  chromadb: { cpu: ['250m', '1'], memory: ['512Mi', '1Gi'] },
} as const satisfies Record<string, Sizing>;

export type SizedComponent = keyof typeof SIZING;

export function resourcesOf(component: SizedComponent): IIoK8sApiCoreV1ResourceRequirements {
  const { cpu, memory } = SIZING[component];
  return { requests: { cpu: cpu[0], memory: memory[0] }, limits: { cpu: cpu[1], memory: memory[1] } };
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

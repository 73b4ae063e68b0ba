/**
 * How each kind of fleet process runs Node: its V8 young generation and its malloc arenas, sized by
 * measuring idle and loaded memory (bench:memory, README "Memory"). One table for both ways the
 * fleet starts: the local launcher puts the options on each instance's command line, compose.yml
 * sets the same ones as NODE_OPTIONS and env (gateway/local/test/runtime-profiles.spec.ts keeps
 * the two equal).
 */
export type ProcessRole = 'http' | 'worker' | 'model-worker';

export interface RuntimeProfile {
  /** Node and V8 options: on the command line under the launcher, NODE_OPTIONS in compose. */
  nodeOptions: readonly string[];
  /** Environment for the C runtime, not for the service (the env classes never read it). */
  env: Readonly<Record<string, string>>;
  /** The idle resident set one such process should stay under (issue 17), reported by bench:memory. */
  idleRssGoalMb: number;
}

/**
 * Left alone, V8 grows the young generation to 32 MB per semi-space while Nest boots (a burst of
 * short-lived objects) and keeps it, all resident, for the life of the process: about 30 MB of an
 * idle instance's ~150 MB. Capped at 2 MB it stays near 2-4 MB; the cost is more frequent, smaller
 * scavenges under load.
 */
const SMALL_YOUNG_GENERATION = '--max-semi-space-size=2';

export const RUNTIME_PROFILES: Readonly<Record<ProcessRole, RuntimeProfile>> = {
  /** Public APIs behind nginx (and the RPC they serve): many small allocations per request. */
  http: { nodeOptions: [SMALL_YOUNG_GENERATION], env: {}, idleRssGoalMb: 80 },
  /** Queue consumers without native thread pools (the translator's stages run external tools). */
  worker: { nodeOptions: [SMALL_YOUNG_GENERATION], env: {}, idleRssGoalMb: 120 },
  /**
   * Consumers that run ONNX Runtime and libvips: their threads each get a glibc malloc arena that
   * keeps freed image and tensor buffers resident; two arenas for the whole process cap that.
   */
  'model-worker': { nodeOptions: [SMALL_YOUNG_GENERATION], env: { MALLOC_ARENA_MAX: '2' }, idleRssGoalMb: 120 },
};

/**
 * The role of each process group, by the name it has in the launcher's services table and in
 * compose.yml (where video's RTMP ingest is a service of its own).
 */
export const PROCESS_ROLES: Readonly<Record<string, ProcessRole>> = {
  base: 'http',
  store: 'http',
  video: 'http',
  'video-ingest': 'http',
  translator: 'http',
  vision: 'http',
  face: 'model-worker',
  'vision-worker': 'model-worker',
  'translator-worker': 'worker',
};

/** The profile of a process group; none for a name the table does not know (it runs on Node's defaults). */
export function runtimeProfileOf(name: string): RuntimeProfile | undefined {
  const role = PROCESS_ROLES[name];
  return role ? RUNTIME_PROFILES[role] : undefined;
}

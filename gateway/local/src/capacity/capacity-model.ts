import { CapacityFigures, Figure, SHARED_TRANSLATOR_STAGES, SizedService, TRANSLATOR_STAGES, TranslatorStage } from './bench-figures';

/**
 * The capacity model: replicas, CPU and memory per service at the busiest minute of a station
 * network, from the benchmarks' figures (bench-figures.ts) and the assumptions below. Pure
 * arithmetic: every number it prints can be redone by hand from the load lines it lists.
 */

/** What is deployed. */
export interface Network {
  stations: number;
  robotsPerStation: number;
  drones: number;
  /** Hours of video (input) translated per day. */
  translationHoursPerDay: number;
}

/** What the model assumes; every one is a flag of `npm run capacity` (kebab-case). */
export interface Assumptions {
  heartbeatSeconds: number;
  scansPerRobotHour: number;
  /** Share of scans sent again with the same nonce (a lost answer). */
  scanRetryShare: number;
  ordersPerRobotHour: number;
  faceLoginsPerRobotHour: number;
  kitReturnsPerRobotHour: number;
  photosPerKitReturn: number;
  telemetrySecondsPerDrone: number;
  viewersPerDrone: number;
  /** Busiest minute over the rates above, for what passengers and engineers cause. */
  peakFactor: number;
  /** Share of a replica's CPU it may use at peak. */
  cpuTarget: number;
  minReplicas: number;
  /** Memory limit over the measured peak resident set. */
  memoryHeadroom: number;
  /** Hours of the day in which the day's translations arrive and must be done. */
  translationWindowHours: number;
  targetLanguages: number;
  /** Replaces the measured vision worker time (the demo model's) with a trained model's. */
  visionWorkerMsPerImage?: number;
}

// The robots' and drones' rates are the simulator's (e2e/src/simulator/station.ts, Station.start):
// a busy station, robots that scan, sell and lend without pause.
const SIMULATOR = 'simulator: e2e/src/simulator/station.ts';
export const DEFAULT_ASSUMPTIONS: Readonly<Assumptions> = {
  heartbeatSeconds: 2,
  scansPerRobotHour: 3600 / 3,
  scanRetryShare: 0.1,
  ordersPerRobotHour: 3600 / 15,
  faceLoginsPerRobotHour: 3600 / 20,
  kitReturnsPerRobotHour: 3600 / 30,
  photosPerKitReturn: 1,
  telemetrySecondsPerDrone: 1,
  viewersPerDrone: 1,
  peakFactor: 1.5,
  cpuTarget: 0.6,
  minReplicas: 2,
  memoryHeadroom: 1.25,
  translationWindowHours: 10,
  targetLanguages: 1,
};

/** Where each default comes from, printed next to its value. */
export const ASSUMPTION_NOTES: Record<keyof Assumptions, string> = {
  heartbeatSeconds: `a heartbeat per robot every N s (${SIMULATOR})`,
  scansPerRobotHour: `ticket scans per robot per hour: one every 3 s (${SIMULATOR})`,
  scanRetryShare: `share of scans sent again with the same nonce, a lost answer (${SIMULATOR})`,
  ordersPerRobotHour: `orders per robot per hour: one every 15 s (${SIMULATOR})`,
  faceLoginsPerRobotHour: `face logins per robot per hour: one every 20 s (${SIMULATOR}; a real engineer logs in far less often)`,
  kitReturnsPerRobotHour: `toolkit loans (issue + return with photos) per robot per hour: one every 30 s (${SIMULATOR})`,
  photosPerKitReturn: `photos per kit return, each one vision inference (${SIMULATOR})`,
  telemetrySecondsPerDrone: `a telemetry sample per drone every N s, each its own POST (${SIMULATOR})`,
  viewersPerDrone: 'HTTP-FLV viewers per live drone stream (bench:video measured one each)',
  peakFactor: 'busiest minute over the rates above for scans, orders, face logins and loans (trains arriving together); not measured. Heartbeats, telemetry and streams are steady and not multiplied',
  cpuTarget: 'share of a replica\'s CPU used at peak, the rest is headroom for bursts and a lost replica',
  minReplicas: 'replicas of every service at least, for availability (the RTMP ingest excepted: one owner per RTMP address)',
  memoryHeadroom: 'memory per replica = the measured peak resident set x this',
  translationWindowHours: 'the day\'s translations arrive within these hours and are done within them (the queue evens out the load inside the window)',
  targetLanguages: 'target languages per translation job (translate, synthesize and mux run once per language)',
  visionWorkerMsPerImage: 'a vision worker\'s time per image; the measured one is the tiny demo model\'s, a trained detector is slower: measure it and pass it',
};

/** What one load costs a service at peak. */
export interface Load {
  what: string;
  busyCores: number;
  /** How it was reckoned: the rate, the cost and the cost's basis. */
  reckoning: string;
}

export interface ServicePlan {
  service: SizedService;
  replicas: number;
  /** Cores in use at peak. */
  busyCores: number;
  /** CPU request per replica (cores) and in all. */
  cpuPerReplica: number;
  cpu: number;
  memoryPerReplicaMb: number;
  memoryMb: number;
  loads: Load[];
  /** The load needs fewer replicas than the minimum. */
  sizedByMinimum: boolean;
  memoryBasis: string;
  notes: string[];
}

export interface CapacityPlan {
  network: Network;
  assumptions: Assumptions;
  robots: number;
  services: ServicePlan[];
  totals: { replicas: number; cpu: number; memoryMb: number };
  /** Peak rates the shared servers (not sized here) must carry. */
  infrastructure: { postgresWritesPerSecond: number; rabbitRpcPerSecond: number; rpcConsumerPerSecond?: Figure };
  /** Figures used, by what they are. */
  figures: Array<{ what: string; figure: Figure }>;
}

/** A replica runs one Node process (one thread of JavaScript) or one single-threaded engine: one core at most. */
export const CORES_PER_REPLICA = 1;
const ceilTo = (value: number, step: number) => Math.ceil(value / step - 1e-9) * step;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Requests per second at a CPU cost each: one load line. */
function requests(what: string, perSecond: number, cost: Figure, costNote = ''): Load {
  return {
    what,
    busyCores: (perSecond * cost.value) / 1000,
    reckoning: `${round(perSecond, 1)}/s x ${round(cost.value)} ms CPU${costNote ? ` (${costNote})` : ''}`,
  };
}

/** Memory one replica reserves, in MB: its measured peak resident set times the headroom, in 16 MB steps. deploy/ requests the same. */
export function memoryPerReplica(peakMb: number, a: Pick<Assumptions, 'memoryHeadroom'> = DEFAULT_ASSUMPTIONS): number {
  return ceilTo(peakMb * a.memoryHeadroom, 16);
}

function service(name: SizedService, loads: Load[], memory: Figure, a: Assumptions, options: { minReplicas?: number; notes?: string[] } = {}): ServicePlan {
  const busyCores = loads.reduce((sum, load) => sum + load.busyCores, 0);
  const minReplicas = options.minReplicas ?? a.minReplicas;
  const needed = Math.ceil(busyCores / (CORES_PER_REPLICA * a.cpuTarget) - 1e-9);
  const replicas = Math.max(minReplicas, needed);
  // A request below 0.1 core starves a Node process at start-up (compiling, migrations' checks).
  const cpuPerReplica = Math.max(0.1, ceilTo(busyCores / a.cpuTarget / replicas, 0.05));
  const memoryPerReplicaMb = memoryPerReplica(memory.value, a);
  return {
    service: name,
    replicas,
    busyCores: round(busyCores, 3),
    cpuPerReplica: round(cpuPerReplica),
    cpu: round(cpuPerReplica * replicas),
    memoryPerReplicaMb,
    memoryMb: memoryPerReplicaMb * replicas,
    loads,
    sizedByMinimum: needed < minReplicas,
    memoryBasis: memory.basis,
    notes: options.notes ?? [],
  };
}

/** `--heartbeat-seconds` for `heartbeatSeconds`: the flag of `npm run capacity` that sets it. */
export const flagOf = (name: string): string => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Every impossible value at once, named by its flag. */
export function validate(network: Network, a: Assumptions): void {
  const problems: string[] = [];
  for (const [name, value] of Object.entries({ ...network, ...a })) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) problems.push(`${flagOf(name)} must be a number >= 0 (got ${value})`);
  }
  for (const name of ['stations', 'robotsPerStation', 'drones'] as const) if (!Number.isInteger(network[name])) problems.push(`${flagOf(name)} must be a whole number`);
  if (!(a.cpuTarget > 0 && a.cpuTarget <= 1)) problems.push('--cpu-target must be above 0 and at most 1');
  if (!(Number.isInteger(a.minReplicas) && a.minReplicas >= 1)) problems.push('--min-replicas must be a whole number >= 1');
  for (const name of ['heartbeatSeconds', 'telemetrySecondsPerDrone', 'translationWindowHours'] as const) if (!(a[name] > 0)) problems.push(`${flagOf(name)} must be above 0`);
  if (a.translationWindowHours > 24) problems.push('--translation-window-hours is at most 24');
  if (problems.length) throw new RangeError(problems.join('; '));
}

/** Requests and samples per second at the busiest minute. */
export interface PeakRates {
  robots: number;
  scans: number;
  heartbeats: number;
  orders: number;
  faceLogins: number;
  loans: number;
  images: number;
  samples: number;
}

export function peakRates(network: Network, a: Assumptions): PeakRates {
  const robots = network.stations * network.robotsPerStation;
  // Passengers and engineers cause the peaks; heartbeats and telemetry are steady (not multiplied).
  const perRobot = (perHour: number) => (robots * perHour * a.peakFactor) / 3600;
  const loans = perRobot(a.kitReturnsPerRobotHour);
  return {
    robots,
    scans: perRobot(a.scansPerRobotHour) * (1 + a.scanRetryShare),
    heartbeats: robots / a.heartbeatSeconds,
    orders: perRobot(a.ordersPerRobotHour),
    faceLogins: perRobot(a.faceLoginsPerRobotHour),
    loans,
    images: loans * a.photosPerKitReturn,
    samples: network.drones / a.telemetrySecondsPerDrone,
  };
}

/** The translator workers' day, spread over the window. */
function translationWork(network: Network, figures: CapacityFigures, a: Assumptions): Load {
  const stageMs = (stage: TranslatorStage) => figures.translatorStageMsPerInputMinute[stage].value * (SHARED_TRANSLATOR_STAGES.includes(stage) ? 1 : a.targetLanguages);
  const msPerInputMinute = TRANSLATOR_STAGES.reduce((sum, stage) => sum + stageMs(stage), 0);
  const workerSecondsPerDay = (network.translationHoursPerDay * 60 * msPerInputMinute) / 1000;
  const languages = `${a.targetLanguages} language${a.targetLanguages === 1 ? '' : 's'}`;
  return {
    what: 'stage work',
    busyCores: workerSecondsPerDay / (a.translationWindowHours * 3600),
    reckoning: `${network.translationHoursPerDay} h/day x ${round(msPerInputMinute / 1000, 1)} s per input minute (${languages}) over ${a.translationWindowHours} h`,
  };
}

const LIKE_CHECK = 'not measured: taken as a ticket check, one authenticated write';

/** One row per service, from the peak rates and the figures. */
function servicePlans(network: Network, figures: CapacityFigures, a: Assumptions, rates: PeakRates, visionMs: Figure): ServicePlan[] {
  const check = figures.ticketCheckCpuMs;
  const rss = figures.rssMb;
  const pct = (what: string, count: number, unit: string, figure: Figure): Load => ({ what, busyCores: (count * figure.value) / 100, reckoning: `${count} ${unit} x ${figure.value} % of a core` });
  return [
    service(
      'base',
      [
        requests('ticket checks', rates.scans, check, `bench:tickets; ${Math.round(a.scanRetryShare * 100)} % retries included`),
        requests('heartbeats', rates.heartbeats, check, LIKE_CHECK),
        requests('orders (ticket check, then RPC to store)', rates.orders, check, LIKE_CHECK),
        requests('face logins (upload, then RPC to face)', rates.faceLogins, check, LIKE_CHECK),
      ],
      rss.base,
      a,
    ),
    service('store', [requests('orders', rates.orders, check, `${LIKE_CHECK} (one transaction)`)], rss.store, a),
    service(
      'face',
      [{ what: 'identify (face logins)', busyCores: rates.faceLogins / figures.faceIdentifyPerCoreSecond.value, reckoning: `${round(rates.faceLogins, 1)}/s / ${round(figures.faceIdentifyPerCoreSecond.value, 1)} per core` }],
      rss.face,
      a,
      { notes: ["ChromaDB's search ran on the same cores when face was measured: its CPU is inside this figure, not beside it", 'boarding by face (a 1:1 verify per passenger) is not in the simulator: add its rate to --face-logins-per-robot-hour'] },
    ),
    service('vision', [requests('kit issue and return requests', rates.loans * 2, check, LIKE_CHECK)], rss.vision, a),
    service('vision-worker', [requests('inference per photo', rates.images, visionMs)], rss['vision-worker'], a, {
      notes: a.visionWorkerMsPerImage === undefined ? ["the measured time is the generated demo model's: a trained detector costs more (--vision-worker-ms-per-image)"] : [],
    }),
    service('video', [pct('HTTP-FLV playback', network.drones * a.viewersPerDrone, 'viewers', figures.playbackCpuPctPerStream), requests('telemetry samples', rates.samples, figures.telemetryCpuMsPerSample)], rss.video, a),
    service('video-ingest', [pct('RTMP ingest', network.drones, 'streams', figures.ingestCpuPctPerStream)], rss['video-ingest'], a, {
      minReplicas: 1,
      notes: ['one ingest owns an RTMP address; more than one needs VIDEO_INGEST_INSTANCE=* and an address (LoadBalancer) per ingest, with the drones spread over them'],
    }),
    service('translator', [], rss.translator, a, { notes: ['the API only stores uploads and moves jobs along (a few requests per job): not measured, sized by its minimum'] }),
    service('translator-worker', [translationWork(network, figures, a)], rss['translator-worker'], a, {
      notes: ['KEDA may scale the workers to zero outside the window; the count is for the window', 'transcription is most of the time (offline pocketsphinx); an HTTP speech engine moves it off the workers'],
    }),
  ];
}

/** Replicas, CPU and memory per service at the busiest minute of `network`. */
export function planCapacity(network: Network, figures: CapacityFigures, overrides: Partial<Assumptions> = {}): CapacityPlan {
  const a: Assumptions = { ...DEFAULT_ASSUMPTIONS, ...overrides };
  validate(network, a);
  const rates = peakRates(network, a);
  const visionMs: Figure = a.visionWorkerMsPerImage !== undefined ? { value: a.visionWorkerMsPerImage, basis: 'given (--vision-worker-ms-per-image)' } : figures.visionWorkerMsPerImage;
  const services = servicePlans(network, figures, a, rates, visionMs);
  return {
    network,
    assumptions: a,
    robots: rates.robots,
    services,
    totals: {
      replicas: services.reduce((sum, s) => sum + s.replicas, 0),
      cpu: round(services.reduce((sum, s) => sum + s.cpu, 0)),
      memoryMb: services.reduce((sum, s) => sum + s.memoryMb, 0),
    },
    infrastructure: {
      // A ticket check, heartbeat, order (in store), face login record, loan step and telemetry sample each commit once.
      postgresWritesPerSecond: round(rates.scans + rates.heartbeats + rates.orders + rates.faceLogins + rates.loans * 2 + rates.samples, 1),
      rabbitRpcPerSecond: round(rates.orders + rates.faceLogins + rates.images, 1),
      rpcConsumerPerSecond: figures.rpcConcurrentPerSecond,
    },
    figures: [
      { what: 'base CPU per ticket check (ms)', figure: figures.ticketCheckCpuMs },
      { what: 'face identifications per second per core', figure: figures.faceIdentifyPerCoreSecond },
      { what: 'vision worker time per image (ms)', figure: visionMs },
      { what: 'video ingest, % of a core per stream', figure: figures.ingestCpuPctPerStream },
      { what: 'video playback, % of a core per viewer', figure: figures.playbackCpuPctPerStream },
      { what: 'video CPU per telemetry sample (ms)', figure: figures.telemetryCpuMsPerSample },
      ...TRANSLATOR_STAGES.map((stage) => ({ what: `translator ${stage}, worker ms per input minute`, figure: figures.translatorStageMsPerInputMinute[stage] })),
      ...services.map((s) => ({ what: `${s.service} peak resident memory per replica (MB)`, figure: figures.rssMb[s.service] })),
    ],
  };
}

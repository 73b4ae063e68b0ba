/**
 * The figures the capacity model needs, read from bench/results.json (written by `npm run
 * bench:*` through bench/lib/results.mjs, or seeded by hand from the README with a `source` saying
 * so). Every figure keeps where it came from, so the report can name it next to the number.
 */

/** One bench's entry in bench/results.json. */
export interface BenchEntry {
  /** `npm run bench:<name>` for a run, or where a seeded figure was copied from. */
  source: string;
  date: string;
  /** 1, 5, 15 minute load averages of a run, or words for a seeded entry. */
  loadAverage: number[] | string | null;
  cpus?: number;
  commit?: string | null;
  conditions?: Record<string, unknown>;
  /** What a seeded entry's figures are, in words (the ranges they came from, which end was taken). */
  note?: string;
  figures: Record<string, unknown>;
}
export type BenchResults = Record<string, BenchEntry>;

/** A number the model uses, and in words where it comes from (a bench's figure, or an assumption). */
export interface Figure {
  value: number;
  basis: string;
}

export const TRANSLATOR_STAGES = ['extract_audio', 'transcribe', 'translate', 'synthesize', 'mux'] as const;
export type TranslatorStage = (typeof TRANSLATOR_STAGES)[number];
/** Stages done once per job; the others once per target language. */
export const SHARED_TRANSLATOR_STAGES: readonly TranslatorStage[] = ['extract_audio', 'transcribe'];

export const SIZED_SERVICES = ['base', 'store', 'face', 'vision', 'vision-worker', 'video', 'video-ingest', 'translator', 'translator-worker'] as const;
export type SizedService = (typeof SIZED_SERVICES)[number];

export interface CapacityFigures {
  /** CPU of base per ticket check (both instances' CPU over the checks answered). */
  ticketCheckCpuMs: Figure;
  /** CPU of video per telemetry sample sent alone. */
  telemetryCpuMsPerSample: Figure;
  /** % of one core per live stream on the ingest owner, and on the instances serving its viewers. */
  ingestCpuPctPerStream: Figure;
  playbackCpuPctPerStream: Figure;
  /** face.identify.v1 per second per core of the machine that measured it (ChromaDB and RabbitMQ on the same cores). */
  faceIdentifyPerCoreSecond: Figure;
  /** A vision worker's time per image (one thread: its CPU). */
  visionWorkerMsPerImage: Figure;
  /** A translator worker's time per minute of input, per stage. */
  translatorStageMsPerInputMinute: Record<TranslatorStage, Figure>;
  /** Fleet RPC over RabbitMQ, one consumer, concurrent callers: for comparison with the peak rate. */
  rpcConcurrentPerSecond?: Figure;
  /** Resident memory of one replica at its heaviest measured moment. */
  rssMb: Record<SizedService, Figure>;
}

export class MissingFigureError extends Error {}

function describeEntry(entry: BenchEntry): string {
  const load = Array.isArray(entry.loadAverage) ? entry.loadAverage.join(' ') : (entry.loadAverage ?? 'not recorded');
  const measured = entry.source.startsWith('npm run bench:');
  return `${measured ? entry.source : `seeded from ${entry.source}`}, ${entry.date.slice(0, 10)}, load ${load}${entry.commit ? `, commit ${entry.commit}` : ''}`;
}

function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
}

/** Reads bench/results.json's figures, each with its provenance. */
export class BenchFigures {
  constructor(private readonly results: BenchResults) {}

  entry(bench: string): BenchEntry | undefined {
    return this.results[bench];
  }

  /** A figure at `bench` -> figures -> path, or undefined when that run did not record it. */
  find(bench: string, path: readonly string[]): Figure | undefined {
    const entry = this.results[bench];
    const value = entry ? at(entry.figures, path) : undefined;
    if (!entry || typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    return { value, basis: `bench:${bench} ${path.join('.')} (${describeEntry(entry)})` };
  }

  /** Like find(), but a figure the model cannot do without: says which bench to run. */
  require(bench: string, path: readonly string[]): Figure {
    const figure = this.find(bench, path);
    if (!figure) throw new MissingFigureError(`bench/results.json has no ${bench} ${path.join('.')}: run \`npm run bench:${bench}\``);
    return figure;
  }

  /** The largest number in `bench` -> figures -> path whose key matches, e.g. every `vision-worker-N`. */
  largest(bench: string, path: readonly string[], key: RegExp): Figure | undefined {
    const entry = this.results[bench];
    const table = entry ? at(entry.figures, path) : undefined;
    if (!entry || !table || typeof table !== 'object') return undefined;
    const matches = Object.entries(table as Record<string, unknown>).filter(([name, value]) => key.test(name) && typeof value === 'number');
    if (!matches.length) return undefined;
    const [name, value] = matches.reduce((best, next) => ((next[1] as number) > (best[1] as number) ? next : best));
    return { value: value as number, basis: `bench:${bench} ${[...path, name].join('.')} (${describeEntry(entry)})` };
  }
}

const either = (...figures: Array<Figure | undefined>): Figure | undefined => figures.find((figure) => figure !== undefined);

function faceThroughputPerCore(bench: BenchFigures): Figure {
  const entry = bench.entry('face');
  const rows = (entry?.figures.rows ?? []) as Array<Record<string, number>>;
  if (!entry || !rows.length) throw new MissingFigureError('bench/results.json has no face rows: run `npm run bench:face`');
  // The largest gallery, then the most instances: the heaviest search, with the cores shared the most evenly.
  const row = [...rows].sort((a, b) => b.templates - a.templates || b.instances - a.instances || b.imagesPerSecond - a.imagesPerSecond)[0];
  const cpus = entry.cpus ?? 0;
  if (!(cpus > 0)) throw new MissingFigureError('bench/results.json: the face entry does not say how many cores measured it');
  return {
    value: row.imagesPerSecond / cpus,
    basis: `bench:face ${row.imagesPerSecond} images/s at ${row.templates} templates with ${row.instances} instances, over the ${cpus} cores that also ran ChromaDB and RabbitMQ (${describeEntry(entry)})`,
  };
}

function visionWorkerMs(bench: BenchFigures): Figure {
  const direct = either(bench.find('vision', ['two_workers', 'worker_ms_p50']), bench.find('vision', ['one_worker', 'worker_ms_p50']));
  if (direct) return direct;
  // A seeded entry may hold only the worker's stages: their sum is its time for one image.
  const entry = bench.entry('vision');
  type Run = { worker_stages_p50_ms?: Record<string, number> } | undefined;
  const stages = (entry?.figures.two_workers as Run)?.worker_stages_p50_ms ?? (entry?.figures.one_worker as Run)?.worker_stages_p50_ms;
  if (!entry || !stages) throw new MissingFigureError('bench/results.json has no vision worker time: run `npm run bench:vision`');
  const listed = Object.entries(stages).map(([stage, ms]) => `${stage} ${ms}`).join(', ');
  return { value: Object.values(stages).reduce((a, b) => a + b, 0), basis: `bench:vision sum of the worker's stage p50s (${listed} ms) (${describeEntry(entry)})` };
}

function withBasis<F extends Figure | undefined>(figure: F, note: string): F {
  return (figure && { value: figure.value, basis: `${figure.basis}; ${note}` }) as F;
}

function memory(bench: BenchFigures): Record<SizedService, Figure> {
  const idle = (service: string) => bench.find('memory', ['idle_rss_mb', service]);
  const anyIdle = withBasis(bench.find('memory', ['largest_service_mb']), 'the largest idle service process: this one was not measured under load');
  const need = (service: SizedService, figure: Figure | undefined): Figure => {
    if (!figure) throw new MissingFigureError(`bench/results.json has no memory figure for ${service}: run \`npm run bench:memory\``);
    return figure;
  };
  const zipPeak = (key: RegExp) => either(bench.largest('vision', ['zip', 'peak_rss_mb'], key), withBasis(bench.largest('vision', ['zip', 'peak_rss_mb'], /./), 'the worst process of the run, not this one alone'));
  const video = bench.find('video', ['rss_mb']);
  const workerProcess = either(bench.find('translator', ['peak_rss_mb', 'worker']), idle('translator-worker'), anyIdle);
  const workerTool = bench.find('translator', ['peak_rss_mb', 'worker_tool']);
  const worker = workerProcess && workerTool && { value: workerProcess.value + workerTool.value, basis: `the worker process (${workerProcess.basis}) plus the largest tool it ran (${workerTool.basis})` };
  return {
    base: need('base', either(bench.find('chat', ['base_peak_rss_mb']), idle('base'), anyIdle)),
    store: need('store', either(idle('store'), anyIdle)),
    face: need('face', largestFaceRss(bench)),
    vision: need('vision', zipPeak(/^vision-\d+$/)),
    'vision-worker': need('vision-worker', zipPeak(/^vision-worker-\d+$/)),
    video: need('video', video),
    'video-ingest': need('video-ingest', video),
    translator: need('translator', either(bench.find('translator', ['peak_rss_mb', 'api']), idle('translator'), anyIdle)),
    'translator-worker': need('translator-worker', worker),
  };
}

function largestFaceRss(bench: BenchFigures): Figure | undefined {
  const entry = bench.entry('face');
  const peaks = ((entry?.figures.rows ?? []) as Array<Record<string, number>>).map((row) => row.peakRssMb).filter((value) => Number.isFinite(value));
  if (!entry || !peaks.length) return undefined;
  return { value: Math.max(...peaks), basis: `bench:face largest peak RSS per instance under load (${describeEntry(entry)})` };
}

/** Every figure the model needs; throws MissingFigureError naming the bench to run when one is absent. */
export function capacityFigures(results: BenchResults): CapacityFigures {
  const bench = new BenchFigures(results);
  const streams = bench.require('video', ['streams']);
  return {
    ticketCheckCpuMs: bench.require('tickets', ['check', 'cpu_ms_per_request']),
    telemetryCpuMsPerSample: bench.require('video', ['telemetry_single', 'cpu_ms_per_sample']),
    ingestCpuPctPerStream: withBasis(bench.require('video', ['ingest_cpu_pct_per_stream']), `at ${streams.value} streams with a viewer each`),
    playbackCpuPctPerStream: withBasis(bench.require('video', ['playback_cpu_pct_per_stream']), `at ${streams.value} streams with a viewer each`),
    faceIdentifyPerCoreSecond: faceThroughputPerCore(bench),
    visionWorkerMsPerImage: visionWorkerMs(bench),
    translatorStageMsPerInputMinute: Object.fromEntries(
      TRANSLATOR_STAGES.map((stage) => [stage, bench.require('translator', ['stage_ms_per_input_minute', 'one_worker', stage])]),
    ) as Record<TranslatorStage, Figure>,
    rpcConcurrentPerSecond: bench.find('rpc', ['concurrent', 'fleet', 'req_per_s']),
    rssMb: memory(bench),
  };
}

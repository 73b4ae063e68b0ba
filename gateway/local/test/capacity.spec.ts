import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ASSUMPTION_NOTES,
  Assumptions,
  BenchResults,
  capacityFigures,
  CapacityPlan,
  DEFAULT_ASSUMPTIONS,
  flagOf,
  formatCapacityReport,
  MissingFigureError,
  parseCapacityArgs,
  planCapacity,
  SIZED_SERVICES,
  SizedService,
} from '../src/capacity';
import { FLEET_SERVICES } from '../src/services';

const ROOT = path.resolve(__dirname, '../../../..');

const entry = (figures: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ source: 'npm run bench:x', date: '2026-11-29T10:00:00.000Z', loadAverage: [0.5, 0.4, 0.3], cpus: 2, commit: 'abc1234', figures, ...extra });

/** Results as the benches write them (bench/lib/results.mjs), with round numbers to reckon by hand. */
function results(): BenchResults {
  return {
    tickets: entry({ check: { per_s: 400, cpu_ms_per_request: 4 } }),
    chat: entry({ base_rss_mb_connected: 120, base_peak_rss_mb: 140 }),
    memory: entry({ idle_rss_mb: { base: 90, store: 80 }, largest_service_mb: 130 }),
    video: entry({ streams: 30, ingest_cpu_pct_per_stream: 0.5, playback_cpu_pct_per_stream: 0.2, rss_mb: 100, telemetry_single: { cpu_ms_per_sample: 2 } }),
    face: entry({
      rows: [
        { templates: 10_000, instances: 2, imagesPerSecond: 90, peakRssMb: 200 },
        { templates: 100_000, instances: 1, imagesPerSecond: 30, peakRssMb: 250 },
        { templates: 100_000, instances: 2, imagesPerSecond: 40, peakRssMb: 260 },
      ],
    }),
    vision: entry({
      two_workers: { worker_ms_p50: 10, worker_stages_p50_ms: { decode: 3, inference: 2 } },
      zip: { peak_rss_mb: { 'vision-1': 120, 'vision-worker-1': 200, 'vision-worker-2': 210, 'nginx 4242': 30 } },
    }),
    translator: entry({
      stage_ms_per_input_minute: { one_worker: { extract_audio: 1000, transcribe: 30_000, translate: 2000, synthesize: 4000, mux: 3000 } },
      peak_rss_mb: { api: 100, worker: 150, worker_tool: 170 },
    }),
  };
}

/** Every assumption set explicitly, so the expected numbers below do not move with the defaults. */
const ASSUMED: Assumptions = {
  heartbeatSeconds: 4,
  scansPerRobotHour: 360,
  scanRetryShare: 0.1,
  ordersPerRobotHour: 36,
  faceLoginsPerRobotHour: 72,
  kitReturnsPerRobotHour: 18,
  photosPerKitReturn: 2,
  telemetrySecondsPerDrone: 2,
  viewersPerDrone: 3,
  peakFactor: 2,
  cpuTarget: 0.5,
  minReplicas: 2,
  memoryHeadroom: 1.5,
  translationWindowHours: 6,
  targetLanguages: 2,
};
const NETWORK = { stations: 10, robotsPerStation: 50, drones: 20, translationHoursPerDay: 12 };

const row = (plan: CapacityPlan, name: SizedService) => {
  const found = plan.services.find((s) => s.service === name);
  assert.ok(found, `no row for ${name}`);
  return found;
};

describe('planCapacity', () => {
  const plan = planCapacity(NETWORK, capacityFigures(results()), ASSUMED);

  it('adds up base from the rates at peak and the CPU of a ticket check', () => {
    // 500 robots: scans 500 x 360 x 2 / 3600 = 100/s and 10 % of them again, heartbeats 500 / 4 = 125/s,
    // orders 10/s, face logins 20/s; 4 ms each.
    const base = row(plan, 'base');
    assert.equal(base.busyCores, 1.06);
    assert.equal(base.replicas, 3); // 1.06 cores at 50 % of a core each
    assert.equal(base.cpuPerReplica, 0.75); // 1.06 / 0.5 / 3 = 0.707, up to 0.05
    assert.equal(base.cpu, 2.25);
    assert.equal(base.memoryPerReplicaMb, 224); // the chat run's peak 140 MB x 1.5 = 210, up to 16
    assert.equal(base.memoryMb, 672);
    assert.equal(base.sizedByMinimum, false);
  });

  it('keeps the minimum replicas of a lightly loaded service, with a CPU floor per replica', () => {
    const store = row(plan, 'store');
    assert.equal(store.busyCores, 0.04);
    assert.equal(store.replicas, 2);
    assert.equal(store.sizedByMinimum, true);
    assert.equal(store.cpuPerReplica, 0.1);
    assert.equal(store.memoryPerReplicaMb, 128); // its idle 80 MB x 1.5
    const translator = row(plan, 'translator');
    assert.deepEqual([translator.busyCores, translator.replicas, translator.cpu], [0, 2, 0.2]);
  });

  it('sizes face from the heaviest gallery with the most instances, per core of the machine that measured it', () => {
    // 20 identifications/s over 40 images/s on 2 cores: exactly 1 core, which at 50 % is exactly 2 replicas (not 3).
    const face = row(plan, 'face');
    assert.equal(face.busyCores, 1);
    assert.equal(face.replicas, 2);
    assert.equal(face.sizedByMinimum, false);
    assert.equal(face.memoryPerReplicaMb, 400); // 260 MB x 1.5 = 390
  });

  it('sizes vision workers by photos and the vision HTTP side by loan requests, each with its own process memory', () => {
    // 5 loans/s, each an issue and a return (10 requests/s x 4 ms) and 2 photos (10/s x 10 ms).
    assert.equal(row(plan, 'vision').busyCores, 0.04);
    assert.equal(row(plan, 'vision-worker').busyCores, 0.1);
    assert.equal(row(plan, 'vision').memoryPerReplicaMb, 192); // vision-1 120 MB x 1.5 = 180
    assert.equal(row(plan, 'vision-worker').memoryPerReplicaMb, 320); // the larger worker, 210 MB x 1.5 = 315
  });

  it('splits video into playback plus telemetry, and an ingest that may run alone', () => {
    // 20 drones x 3 viewers x 0.2 % + 10 samples/s x 2 ms; ingest 20 streams x 0.5 %.
    const video = row(plan, 'video');
    assert.equal(video.busyCores, 0.14);
    const ingest = row(plan, 'video-ingest');
    assert.equal(ingest.busyCores, 0.1);
    assert.equal(ingest.replicas, 1);
    assert.equal(ingest.sizedByMinimum, false);
    assert.equal(ingest.memoryPerReplicaMb, 160);
  });

  it('spreads the day of translation over the window, with per-language stages once per target', () => {
    // (1,000 + 30,000 + 2 x (2,000 + 4,000 + 3,000)) ms = 49 s per input minute; 12 h x 60 x 49 s = 35,280 s over 6 h.
    const workers = row(plan, 'translator-worker');
    assert.equal(workers.busyCores, 1.633);
    assert.equal(workers.replicas, 4);
    assert.equal(workers.cpuPerReplica, 0.85);
    assert.equal(workers.memoryPerReplicaMb, 480); // worker 150 MB + its largest tool 170 MB, x 1.5
  });

  it('totals the rows and counts what the shared servers must carry', () => {
    assert.equal(plan.totals.replicas, plan.services.reduce((sum, s) => sum + s.replicas, 0));
    assert.equal(plan.totals.memoryMb, plan.services.reduce((sum, s) => sum + s.memoryMb, 0));
    // checks 110 + heartbeats 125 + orders 10 + face logins 20 + loans 2 x 5 + telemetry 10
    assert.equal(plan.infrastructure.postgresWritesPerSecond, 285);
    // orders 10 + identifications 20 + photos 10
    assert.equal(plan.infrastructure.rabbitRpcPerSecond, 40);
  });

  it('does not add a replica for a floating-point crumb', () => {
    // 42 identifications/s over 20 per core = 2.1 cores; at 70 % that is 3 replicas (2.1 / 0.7 is 3.0000000000000004 in floating point).
    const tight = planCapacity(NETWORK, capacityFigures(results()), { ...ASSUMED, faceLoginsPerRobotHour: 151.2, cpuTarget: 0.7 });
    assert.equal(row(tight, 'face').busyCores, 2.1);
    assert.equal(row(tight, 'face').replicas, 3);
    assert.equal(row(tight, 'face').cpuPerReplica, 1);
  });

  it('takes a trained model\'s vision time when given, and names it as given', () => {
    const given = planCapacity(NETWORK, capacityFigures(results()), { ...ASSUMED, visionWorkerMsPerImage: 250 });
    assert.equal(row(given, 'vision-worker').busyCores, 2.5);
    assert.equal(row(given, 'vision-worker').replicas, 5);
    assert.match(given.figures.find((f) => f.what.startsWith('vision worker time'))?.figure.basis ?? '', /given/);
  });

  it('scales with the network: twice the robots, twice base\'s busy cores', () => {
    const double = planCapacity({ ...NETWORK, robotsPerStation: 100 }, capacityFigures(results()), ASSUMED);
    assert.equal(row(double, 'base').busyCores, 2.12);
  });

  it('refuses impossible assumptions with every reason at once', () => {
    assert.throws(() => planCapacity(NETWORK, capacityFigures(results()), { cpuTarget: 0, minReplicas: 1.5 }), (error: Error) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, /--cpu-target must be above 0/);
      assert.match(error.message, /--min-replicas must be a whole number/);
      return true;
    });
    assert.throws(() => planCapacity({ ...NETWORK, stations: -1 }, capacityFigures(results())), /--stations must be a number >= 0/);
  });
});

describe('capacityFigures', () => {
  it('names each figure\'s bench, date, load and commit', () => {
    const figures = capacityFigures(results());
    assert.equal(figures.ticketCheckCpuMs.value, 4);
    assert.match(figures.ticketCheckCpuMs.basis, /bench:tickets check\.cpu_ms_per_request \(npm run bench:x, 2026-11-29, load 0\.5 0\.4 0\.3, commit abc1234\)/);
  });

  it('falls back, and says so: the stage sum for the vision worker, idle or any process\'s memory', () => {
    const r = results();
    delete (r.vision.figures.two_workers as Record<string, unknown>).worker_ms_p50;
    r.vision.figures.zip = { peak_rss_mb: { 'largest process': 284 } };
    delete r.chat;
    const figures = capacityFigures(r);
    assert.equal(figures.visionWorkerMsPerImage.value, 5);
    assert.match(figures.visionWorkerMsPerImage.basis, /sum of the worker's stage p50s/);
    assert.equal(figures.rssMb.vision.value, 284);
    assert.match(figures.rssMb.vision.basis, /not this one alone/);
    assert.equal(figures.rssMb.base.value, 90);
    delete (r.memory.figures.idle_rss_mb as Record<string, unknown>).base;
    assert.equal(capacityFigures(r).rssMb.base.value, 130);
    assert.match(capacityFigures(r).rssMb.base.basis, /not measured under load/);
  });

  it('says which bench to run when a figure is missing', () => {
    const r = results();
    delete r.tickets;
    assert.throws(() => capacityFigures(r), (error: Error) => error instanceof MissingFigureError && /npm run bench:tickets/.test(error.message));
    const noCores = results();
    delete noCores.face.cpus;
    assert.throws(() => capacityFigures(noCores), /how many cores/);
  });

  it('reads the committed bench/results.json, whose every entry says where its figures come from', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
    const plan = planCapacity({ stations: 50, robotsPerStation: 20, drones: 100, translationHoursPerDay: 40 }, capacityFigures(committed));
    assert.ok(plan.totals.replicas >= SIZED_SERVICES.length);
    for (const [bench, e] of Object.entries(committed)) {
      assert.ok(e.source && e.date && e.figures, `${bench}: source, date and figures`);
      // A figure not written by a run was copied by hand: its entry must say from where, and what it is.
      if (!e.source.startsWith('npm run bench:')) assert.match(e.note ?? '', /^Seeded by hand/, `${bench}: a seeded entry explains itself`);
    }
  });
});

describe('the model\'s defaults and services', () => {
  it('takes the robots\' and drones\' rates from the simulator', () => {
    const station = readFileSync(path.join(ROOT, 'e2e', 'src', 'simulator', 'station.ts'), 'utf8');
    const every = (act: string) => {
      const match = new RegExp(`this\\.actions\\.every\\(([\\d_]+), \\(\\) => this\\.${act}\\((?:robot|drone)\\)`).exec(station);
      assert.ok(match, `the simulator no longer schedules ${act}`);
      return Number(match[1].replace(/_/g, '')) / 1000;
    };
    assert.equal(DEFAULT_ASSUMPTIONS.heartbeatSeconds, every('heartbeat'));
    assert.equal(DEFAULT_ASSUMPTIONS.scansPerRobotHour, 3600 / every('scanTicket'));
    assert.equal(DEFAULT_ASSUMPTIONS.ordersPerRobotHour, 3600 / every('placeOrder'));
    assert.equal(DEFAULT_ASSUMPTIONS.faceLoginsPerRobotHour, 3600 / every('faceLogin'));
    assert.equal(DEFAULT_ASSUMPTIONS.kitReturnsPerRobotHour, 3600 / every('lendKit'));
    assert.equal(DEFAULT_ASSUMPTIONS.telemetrySecondsPerDrone, every('telemetry'));
  });

  it('sizes every process group the launcher starts', () => {
    for (const spec of FLEET_SERVICES) assert.ok((SIZED_SERVICES as readonly string[]).includes(spec.name), `${spec.name} has no row`);
  });
});

describe('parseCapacityArgs', () => {
  it('reads the network and leaves unset assumptions to the defaults', () => {
    const request = parseCapacityArgs(['--stations', '50', '--robots-per-station', '20', '--drones', '100', '--translation-hours-per-day', '40']);
    assert.deepEqual(request.network, { stations: 50, robotsPerStation: 20, drones: 100, translationHoursPerDay: 40 });
    assert.deepEqual(request.overrides, {});
    assert.equal(request.json, false);
  });

  it('takes every assumption by the flag the report prints for it', () => {
    for (const name of Object.keys(ASSUMPTION_NOTES)) {
      const request = parseCapacityArgs(['--stations', '1', '--robots-per-station', '1', flagOf(name), '0.75']);
      assert.deepEqual(request.overrides, { [name]: 0.75 }, flagOf(name));
    }
  });

  it('refuses a missing network, a word for a number and an unknown flag', () => {
    assert.throws(() => parseCapacityArgs(['--drones', '3']), /--stations and --robots-per-station are required/);
    assert.throws(() => parseCapacityArgs(['--stations', '5', '--robots-per-station', 'many']), /--robots-per-station wants a number/);
    assert.throws(() => parseCapacityArgs(['--stations', '5', '--robots-per-station', '2', '--robots', '3']), /--robots/);
  });
});

describe('formatCapacityReport', () => {
  it('prints a row per service, the total, every assumption\'s flag and each figure\'s source', () => {
    const plan = planCapacity(NETWORK, capacityFigures(results()), { peakFactor: 3 });
    const report = formatCapacityReport(plan);
    for (const name of SIZED_SERVICES) assert.match(report, new RegExp(`^${name}\\s+${row(plan, name).replicas}\\s`, 'm'));
    assert.match(report, new RegExp(`^total\\s+${plan.totals.replicas}\\s`, 'm'));
    for (const name of Object.keys(ASSUMPTION_NOTES)) assert.ok(report.includes(flagOf(name)), flagOf(name));
    assert.match(report, /--peak-factor 3 \[1\.50\]/);
    assert.match(report, /bench:tickets check\.cpu_ms_per_request \(npm run bench:x/);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { Client } from 'pg';
import { rpcQueueOf } from '@fleet/contracts';
import { describeSupervisorEvent, FLEET_SERVICES, REPO_ROOT } from '@fleet/local-fleet';
import { RouteCounts, StationActivity } from '../simulator';
import { startTestFleet, TestFleet } from '../test-fleet';
import { FaultInjector, InjectedFault, RECOVERY_BOUND_MS, sleep } from './faults';
import { checkInvariants, InvariantResult, listQueues } from './invariants';
import { Ledger } from './ledger';
import { ChaosActivity, ChaosLoad } from './load';
import { LONG_LIFETIME_MS, RssFigures, RssSampler } from './rss';
import { describeSchedule, PlannedFault, planFaults, seededRandom } from './schedule';

export interface ChaosOptions {
  minutes: number;
  seed: number;
  /** Restart the machine's PostgreSQL and RabbitMQ as well (CHAOS_INFRA=1). */
  infra: boolean;
  robots?: number;
  drones?: number;
  freezeMs?: number;
  log?: (line: string) => void;
}

/** A 5xx or a timeout, and whether a fault's recovery window explains it. */
interface FailedAnswer {
  route: string;
  status: number;
  at: number;
}

export interface ChaosReport {
  seed: number;
  minutes: number;
  infra: boolean;
  routes: Array<{ route: string } & RouteCounts>;
  faults: InjectedFault[];
  /** Planned faults the time ran out for (a recovery took longer than its budget). */
  notInjected: PlannedFault[];
  invariants: InvariantResult[];
  rss: RssFigures[];
  /** 5xx answers and timeouts outside every fault's window. */
  unexplainedFailures: FailedAnswer[];
  /** Every instance restart by the supervisor. */
  restarts: number;
  /** What the load did, as its clients counted it. */
  activity: { station: StationActivity; chaos: ChaosActivity };
  /** True when every invariant holds, every fault recovered within the bound and no failure is unexplained. */
  passed: boolean;
}

/** After a fault recovered, answers can still be in flight: a 5xx this long after still belongs to it, a timeout up to the client's timeout. */
const SERVER_ERROR_GRACE_MS = 5_000;
const TIMEOUT_GRACE_MS = 16_000;
/** How long accepted translation jobs get to finish once the load stops. */
const SETTLE_JOBS_MS = 5 * 60_000;
const SETTLE_QUEUES_MS = 60_000;
const POISON = 'chaos-run poison: not a request packet {';
/** Runs at least this long keep one witness instance per group alive (LONG_LIFETIME_MS of it is needed for a slope). */
const WITNESS_RUN_MS = LONG_LIFETIME_MS + 5 * 60_000;

/**
 * `npm run chaos`: a fleet of its own (two or more instances of every service and pool, its own
 * database, vhost, redis-server and ChromaDB, instances supervised as under `npm start`), the
 * station simulator's load plus chaos extras through the gateway, a seeded schedule of faults, and
 * at the end the invariants against the real stores. Returns the report; prints as it goes.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const durationMs = Math.round(options.minutes * 60_000);
  const freezeMs = options.freezeMs ?? 30_000;
  const groups = FLEET_SERVICES.map((spec) => spec.name);
  const workerGroups = ['vision-worker', 'translator-worker', 'face'];
  const schedule = planFaults({ seed: options.seed, durationMs, groups, workerGroups, infra: options.infra, freezeMs });
  const random = seededRandom(options.seed ^ 0x5eed);
  let restarts = 0;

  log(`[chaos] seed ${options.seed} (CHAOS_SEED=${options.seed} repeats this schedule), ${options.minutes} min of load, infrastructure faults ${options.infra ? 'ON' : 'off (CHAOS_INFRA=1 adds PostgreSQL and RabbitMQ restarts)'}`);
  log('[chaos] starting a fleet of its own (2+ instances of every service and pool, supervised)…');
  const fleet = await startTestFleet({
    identity: true,
    supervise: true,
    logLevel: 'info',
    instances: { translator: 2 },
    onSupervisorEvent: (event) => {
      if (event.kind === 'restarted') restarts += 1;
      log(`[launcher] ${describeSupervisorEvent(event)}`);
    },
  });
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'fleet-chaos-'));
  const ledger = new Ledger();
  const failures: FailedAnswer[] = [];
  const load = new ChaosLoad({
    gatewayUrl: fleet.gatewayUrl,
    rtmpUrl: `rtmp://127.0.0.1:${fleet.rtmpPort}`,
    ledger,
    workDir,
    robots: options.robots ?? 10,
    drones: options.drones ?? 2,
    stock: 150,
    chatClients: 12,
    chatRooms: 3,
    chatEveryMs: 4_000,
    enrolEveryMs: 20_000,
    translationEveryMs: 45_000,
    kitCheckEveryMs: 10_000,
  });
  load.api.onAnswer = (route, status, at) => {
    if (status === 0 || status >= 500) failures.push({ route, status, at });
  };
  const sampler = new RssSampler(fleet.fleet.instances);
  // A soak spares one instance of each group from the kills (the others still die round after
  // round): a process that lives the whole run is what shows a leak; one killed every 20 minutes
  // only ever shows its warm-up.
  const witnesses = new Set(durationMs >= WITNESS_RUN_MS ? groups.map((group) => fleet.fleet.instances.find((instance) => instance.service === group)?.instanceId).filter((id): id is string => id !== undefined) : []);
  if (witnesses.size) log(`[chaos] soak: never killed, so their RSS slope covers the run: ${[...witnesses].join(', ')}`);
  const injected: InjectedFault[] = [];
  try {
    await load.seed();
    const seeded = load.station.seeded();
    await publishPoison(fleet);
    log('[chaos] load, through the gateway:');
    load.rates().forEach((line) => log(`  ${line}`));
    log('[chaos] faults (each starts once the one before has recovered):');
    describeSchedule(schedule).forEach((line) => log(`  ${line}`));

    await load.start();
    sampler.start();
    const started = Date.now();
    const ticker = setInterval(() => log(load.summary(Math.round((Date.now() - started) / 1000))), 10_000);
    const injector = new FaultInjector({ fleet, random, freezeMs, log, spared: witnesses });
    const notInjected: PlannedFault[] = [];
    for (const fault of schedule) {
      const wait = started + fault.atMs - Date.now();
      if (wait > 0) await sleep(wait);
      // A fault that could not recover before the load ends would be judged on an idle fleet.
      if (Date.now() - started > durationMs - 20_000) {
        notInjected.push(fault);
        continue;
      }
      log(`[chaos] t+${Math.round((Date.now() - started) / 1000)} s: ${fault.kind}${fault.group ? ` (${fault.group})` : ''}`);
      const result = await injector.inject(fault).catch((error: unknown): InjectedFault => {
        const now = Date.now();
        return { kind: fault.kind, target: fault.group ?? '?', startedAt: now, endedAt: now, detail: `could not inject: ${(error as Error).message}` };
      });
      injected.push(result);
      log(`[chaos]   ${result.target}: ${result.detail ?? ''}; ${result.recoveryMs === undefined ? `NOT healthy within ${RECOVERY_BOUND_MS / 1000} s` : `all healthy ${(result.recoveryMs / 1000).toFixed(1)} s after`}`);
    }
    const left = started + durationMs - Date.now();
    if (left > 0) await sleep(left);
    clearInterval(ticker);
    log(`[chaos] ${options.minutes} min are up: stopping the load`);
    await load.stop();
    sampler.stop();
    log(load.summary(Math.round((Date.now() - started) / 1000)));

    log('[chaos] settling: accepted translation jobs finish, queues drain…');
    await settle(fleet, ledger, log);
    const invariants = await checkInvariants({
      ledger,
      databaseUrl: fleet.databaseUrl,
      chromaUrl: fleet.fleet.chroma?.url,
      vhost: fleet.vhost,
      amqpUrl: fleet.vhost ? `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(fleet.vhost)}` : undefined,
      shopId: seeded.shopId,
      productIds: seeded.productIds,
      initialStock: seeded.stock,
      poison: POISON,
    });
    const unexplainedFailures = failures.filter((failure) => !injected.some((fault) => explains(fault, failure)));
    const report: ChaosReport = {
      seed: options.seed,
      minutes: options.minutes,
      infra: options.infra,
      routes: [...load.api.counts].map(([route, counts]) => ({ route, ...counts })).sort((a, b) => a.route.localeCompare(b.route)),
      faults: injected,
      notInjected,
      invariants,
      rss: sampler.figures(),
      unexplainedFailures,
      restarts,
      activity: { station: load.station.activity, chaos: load.activity },
      passed: invariants.every((i) => i.ok) && injected.every((f) => f.recoveryMs !== undefined && !f.detail?.startsWith('could not')) && unexplainedFailures.length === 0,
    };
    return report;
  } finally {
    sampler.stop();
    await load.stop().catch(() => undefined);
    await fleet.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Whether a 5xx or a timeout fell inside a fault's window: from its start to its recovery plus the grace. */
function explains(fault: InjectedFault, failure: FailedAnswer): boolean {
  const end = (fault.recoveredAt ?? fault.endedAt + RECOVERY_BOUND_MS) + (failure.status === 0 ? TIMEOUT_GRACE_MS : SERVER_ERROR_GRACE_MS);
  return failure.at >= fault.startedAt && failure.at <= end;
}

/** One unparseable message on the face service's RPC queue: the one dead letter the run expects, with its reason. */
async function publishPoison(fleet: TestFleet): Promise<void> {
  if (!fleet.vhost) return;
  const connection = await amqp.connect(`amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(fleet.vhost)}`);
  try {
    const channel = await connection.createConfirmChannel();
    let returned = false;
    channel.on('return', () => (returned = true));
    // mandatory: a queue that does not exist must not swallow the message without a word.
    channel.sendToQueue(rpcQueueOf('face'), Buffer.from(POISON), { persistent: true, mandatory: true, messageId: 'chaos-poison' });
    await channel.waitForConfirms();
    if (returned) throw new Error(`the poison message found no queue ${rpcQueueOf('face')}`);
  } finally {
    await connection.close();
  }
}

/** Waits until every accepted translation job is finished and the queues are empty (bounded; the invariants judge what is left). */
async function settle(fleet: TestFleet, ledger: Ledger, log: (line: string) => void): Promise<void> {
  const db = new Client({ connectionString: fleet.databaseUrl });
  await db.connect();
  try {
    const deadline = Date.now() + SETTLE_JOBS_MS;
    for (;;) {
      const open = await db.query<{ n: string }>(`SELECT count(*) AS n FROM translator.job WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'running')`, [ledger.jobs]);
      if (open.rows[0].n === '0' || Date.now() > deadline) break;
      await sleep(2_000);
    }
  } finally {
    await db.end();
  }
  if (!fleet.vhost) return;
  const deadline = Date.now() + SETTLE_QUEUES_MS;
  while (Date.now() < deadline) {
    const busy = (await listQueues(fleet.vhost)).filter((queue) => !queue.name.endsWith('.dlq') && queue.messages_ready + queue.messages_unacknowledged > 0);
    if (!busy.length) return;
    await sleep(1_000);
  }
  log('[chaos] queues still hold messages after a minute (see the queue invariant)');
}

/** The report as tables, and as JSON under logs/chaos/. Returns the file written. */
export function printReport(report: ChaosReport, log: (line: string) => void = (line) => console.log(line)): string {
  log('\n=== requests per route ===');
  console.table(Object.fromEntries(report.routes.map(({ route, sent, ok, clientErrors, serverErrors, timeouts }) => [route, { sent, '2xx': ok, '4xx': clientErrors, '5xx': serverErrors, timeouts }])));
  log('=== faults ===');
  console.table(
    report.faults.map((fault) => ({
      fault: fault.kind,
      target: fault.target,
      'lasted s': ((fault.endedAt - fault.startedAt) / 1000).toFixed(1),
      'recovery s': fault.recoveryMs === undefined ? 'NOT RECOVERED' : (fault.recoveryMs / 1000).toFixed(1),
      'goal <15 s': fault.recoveryMs !== undefined && fault.recoveryMs < 15_000 ? 'yes' : 'no',
      detail: fault.detail ?? '',
    })),
  );
  if (report.notInjected.length) log(`(${report.notInjected.length} planned fault(s) not injected: the time ran out)`);
  log(`instance restarts by the supervisor: ${report.restarts}`);
  log('=== invariants ===');
  for (const invariant of report.invariants) {
    log(`${invariant.ok ? 'OK  ' : 'FAIL'} ${invariant.name}: ${invariant.counts}`);
    invariant.violations.forEach((violation) => log(`       - ${violation}`));
  }
  log(`${report.unexplainedFailures.length ? 'FAIL' : 'OK  '} no 5xx or timeout outside a fault's recovery window: ${report.unexplainedFailures.length} outside`);
  report.unexplainedFailures.slice(0, 10).forEach((failure) => log(`       - ${new Date(failure.at).toISOString()} ${failure.route}: ${failure.status || 'timeout'}`));
  log('=== RSS per service ===');
  console.table(Object.fromEntries(report.rss.map((figures) => [figures.service, { 'peak MB': figures.peakMb.toFixed(0), 'slope MB/h': figures.slopeMbPerHour?.toFixed(1) ?? '(run ≥ 10 min per process)', lifetimes: figures.lifetimes, 'longest min': figures.measuredMinutes ?? '' }])));
  const dir = path.join(REPO_ROOT, 'logs', 'chaos');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `chaos-${new Date().toISOString().replace(/[:.]/g, '-')}-seed${report.seed}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2));
  log(`\n${report.passed ? 'PASSED' : 'FAILED'} (seed ${report.seed}); the report as JSON: ${path.relative(REPO_ROOT, file)}`);
  return file;
}

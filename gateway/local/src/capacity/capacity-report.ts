import { ASSUMPTION_NOTES, Assumptions, CapacityPlan, CORES_PER_REPLICA, DEFAULT_ASSUMPTIONS, flagOf } from './capacity-model';


const n = (value: number, digits = 0) => value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mb = (value: number) => (value >= 1024 ? `${n(value / 1024, 1)} GiB` : `${n(value)} MiB`);

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
}

/** The report `npm run capacity` prints: the table, what drives each row, the assumptions, the figures and their sources. */
export function formatCapacityReport(plan: CapacityPlan): string {
  const { network, assumptions: a } = plan;
  const lines = [
    `Capacity at the busiest minute: ${network.stations} stations x ${network.robotsPerStation} robots (${n(plan.robots)} robots), ${n(network.drones)} drones, ${n(network.translationHoursPerDay, 1)} h of video translated per day`,
    `(replicas of ${CORES_PER_REPLICA} core at most, used to ${Math.round(a.cpuTarget * 100)} % at peak; memory = measured peak RSS x ${a.memoryHeadroom})`,
    '',
    ...table([
      ['service', 'replicas', 'busy cores', 'CPU/replica', 'CPU', 'memory/replica', 'memory'],
      ...plan.services.map((s) => [s.service, String(s.replicas), n(s.busyCores, 2), n(s.cpuPerReplica, 2), n(s.cpu, 2), mb(s.memoryPerReplicaMb), mb(s.memoryMb)]),
      ['total', String(plan.totals.replicas), '', '', n(plan.totals.cpu, 2), '', mb(plan.totals.memoryMb)],
    ]),
    '',
    'What drives each service (cores in use at peak):',
  ];
  for (const s of plan.services) {
    const loads = s.loads.map((load) => `${load.what} ${load.reckoning} = ${n(load.busyCores, 2)}`);
    lines.push(`  ${s.service}: ${loads.length ? loads.join('; ') : 'no load modelled'}${s.sizedByMinimum ? ` (sized by its minimum of ${s.replicas})` : ''}`);
    for (const note of s.notes) lines.push(`    - ${note}`);
  }
  lines.push('', 'Assumptions (each a flag; the default in brackets when the value differs):');
  for (const key of Object.keys(ASSUMPTION_NOTES) as Array<keyof Assumptions>) {
    const value = a[key];
    const fallback = DEFAULT_ASSUMPTIONS[key];
    const shown = value === undefined ? 'measured' : `${n(value, Number.isInteger(value) ? 0 : 2)}${fallback !== undefined && fallback !== value ? ` [${n(fallback, Number.isInteger(fallback) ? 0 : 2)}]` : ''}`;
    lines.push(`  ${flagOf(key)} ${shown}: ${ASSUMPTION_NOTES[key]}`);
  }
  lines.push('', 'Figures (bench/results.json; `npm run bench:<name>` replaces its entry):');
  for (const { what, figure } of plan.figures) lines.push(`  ${what}: ${n(figure.value, figure.value < 10 ? 2 : figure.value < 100 ? 1 : 0)} from ${figure.basis}`);
  const infra = plan.infrastructure;
  lines.push(
    '',
    'Not sized here (no per-operation figures measured for them):',
    `  - Postgres: about ${n(infra.postgresWritesPerSecond)} commits/s at peak (each check, heartbeat, order, face login, loan step and telemetry sample)`,
    `  - RabbitMQ: about ${n(infra.rabbitRpcPerSecond)} RPC/s at peak (orders, identifications, photos)${infra.rpcConsumerPerSecond ? `; ${infra.rpcConsumerPerSecond.basis}: ${n(infra.rpcConsumerPerSecond.value)} req/s on one consumer` : ''}`,
    '  - Redis, ChromaDB (its search CPU is inside face\'s figure), nginx, Keycloak, the console (static files)',
  );
  return lines.join('\n');
}

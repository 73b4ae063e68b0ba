// What the fleet needs from the machine, checked before `npm start` and `npm test`:
// PostgreSQL, Redis and RabbitMQ answering their protocol at the configured addresses, and the
// nginx (and, for tests, ffmpeg) binaries. Run as root on Debian, it installs missing packages
// (one `apt-get update`) and starts stopped local servers itself; otherwise it names each missing
// piece with the command that fixes it and exits 1.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const DEFAULTS = {
  DATABASE_ADMIN_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

// ---------------------------------------------------------------------------------------------
// Protocol probes: each resolves to { ok: true } or { ok: false, reason }.

function talk(host, port, hello, isDone, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
    let received = Buffer.alloc(0);
    const finish = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => finish({ ok: false, reason: `no answer within ${timeoutMs} ms` }));
    socket.on('error', (error) => finish({ ok: false, reason: error.code ?? error.message }));
    socket.on('connect', () => socket.write(hello));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const verdict = isDone(received);
      if (verdict) finish(verdict);
    });
    socket.on('end', () => finish(isDone(received, true) ?? { ok: false, reason: 'connection closed without an answer' }));
  });
}

/** Postgres StartupMessage as the admin user: trust ('R' + 0) or a password request both mean "up". */
function probePostgres(url) {
  const user = decodeURIComponent(url.username || 'postgres');
  const database = decodeURIComponent(url.pathname.replace(/^\//, '') || 'postgres');
  const params = Buffer.from(`user\0${user}\0database\0${database}\0\0`);
  const hello = Buffer.alloc(8 + params.length);
  hello.writeInt32BE(hello.length, 0);
  hello.writeInt32BE(196608, 4); // protocol 3.0
  params.copy(hello, 8);
  return talk(url.hostname, Number(url.port || 5432), hello, (buf) => {
    if (buf.length < 1) return undefined;
    const type = String.fromCharCode(buf[0]);
    if (type === 'R' && buf.length >= 9) return { ok: true, auth: buf.readInt32BE(5) === 0 ? 'trust' : 'password' };
    if (type === 'E') {
      const text = buf.subarray(5).toString().split('\0').find((field) => field.startsWith('M'));
      return { ok: false, reason: `server refused: ${text ? text.slice(1) : 'error'}`, answered: true };
    }
    return type === 'R' ? undefined : { ok: false, reason: 'not a PostgreSQL server' };
  });
}

function probeRedis(url) {
  return talk(url.hostname, Number(url.port || 6379), 'PING\r\n', (buf) => {
    const text = buf.toString();
    if (!text.includes('\r\n')) return undefined;
    if (text.startsWith('+PONG') || text.startsWith('-NOAUTH')) return { ok: true };
    return { ok: false, reason: `unexpected answer ${JSON.stringify(text.trim().slice(0, 60))}` };
  });
}

/** AMQP 0-9-1 protocol header: a broker answers with a Connection.Start method frame (type 1). */
function probeRabbit(url) {
  return talk(url.hostname, Number(url.port || 5672), Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'), (buf) => {
    if (buf.length < 1) return undefined;
    if (buf[0] === 1) return { ok: true };
    return { ok: false, reason: 'not an AMQP 0-9-1 broker' };
  });
}

// ---------------------------------------------------------------------------------------------
// Binaries and Debian packages.

export function findBinary(name) {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SBIN_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

const canInstall = () => process.getuid?.() === 0 && existsSync('/etc/debian_version') && !!findBinary('apt-get');

let aptUpdated = false;
function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    console.log('[system] apt-get update');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    aptUpdated = true;
  }
  console.log(`[system] apt-get install -y ${packages.join(' ')}`);
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}

function run(command, args, options = {}) {
  console.log(`[system] ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: 120_000, ...options });
  return result.status === 0;
}

async function waitFor(probe, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last;
  do {
    last = await probe(url);
    if (last.ok) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  } while (Date.now() < deadline);
  return last;
}

// ---------------------------------------------------------------------------------------------
// The three servers: how to probe, install and start each one when it is local.

function postgresVersion() {
  return existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort().pop() : undefined;
}

/** Only for a cluster this script installed: match the fleet's dev machines (trust on loopback). */
function trustLoopback(version) {
  const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
  const rules = 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n';
  writeFileSync(hba, rules + readFileSync(hba, 'utf8'));
}

const SERVERS = [
  {
    name: 'PostgreSQL',
    variable: 'DATABASE_ADMIN_URL',
    probe: probePostgres,
    packages: ['postgresql'],
    installed: () => !!postgresVersion(),
    startHint: () => `pg_ctlcluster --skip-systemctl-redirect ${postgresVersion() ?? '15'} main start`,
    installHint: 'apt-get install -y postgresql',
    start(url, { freshlyInstalled }) {
      const version = postgresVersion();
      if (freshlyInstalled) trustLoopback(version);
      const args = ['--skip-systemctl-redirect', version, 'main', freshlyInstalled ? 'restart' : 'start'];
      return run('pg_ctlcluster', args) || run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
    },
    readyWithinMs: 20_000,
  },
  {
    name: 'Redis',
    variable: 'REDIS_URL',
    probe: probeRedis,
    packages: ['redis-server'],
    installed: () => !!findBinary('redis-server'),
    startHint: (url) => `redis-server --daemonize yes --bind 127.0.0.1 --port ${url.port || 6379} --save "" --appendonly no`,
    installHint: 'apt-get install -y redis-server',
    start(url) {
      // A Debian install starts its own daemon on 6379 when it can; ours only if still down.
      return run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(url.port || 6379), '--save', '', '--appendonly', 'no']);
    },
    readyWithinMs: 10_000,
  },
  {
    name: 'RabbitMQ',
    variable: 'RABBITMQ_URL',
    probe: probeRabbit,
    packages: ['rabbitmq-server'],
    installed: () => !!findBinary('rabbitmq-server'),
    startHint: () => 'rabbitmq-server -detached && rabbitmqctl await_startup',
    installHint: 'apt-get install -y rabbitmq-server',
    start() {
      const env = { ...process.env, PATH: `${process.env.PATH}:${SBIN_DIRS.join(':')}` };
      run('rabbitmq-server', ['-detached'], { env });
      return run('rabbitmqctl', ['--timeout', '60', 'await_startup'], { env });
    },
    readyWithinMs: 60_000,
  },
];

async function ensureServer(server, problems) {
  const raw = process.env[server.variable] || DEFAULTS[server.variable];
  const url = new URL(raw);
  const where = `${url.hostname}:${url.port || '(default port)'}`;
  const first = await server.probe(url);
  if (first.ok) return;
  if (first.answered) {
    problems.push(`${server.name} at ${where} answered but refused us (${first.reason}); check ${server.variable}`);
    return;
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (!local) {
    problems.push(`${server.name} at ${where} (${server.variable}) is not reachable: ${first.reason}. Start it, or unset ${server.variable} to use the local default`);
    return;
  }
  if (!canInstall()) {
    const steps = server.installed() ? server.startHint(url) : `${server.installHint} && ${server.startHint(url)}`;
    problems.push(`${server.name} is not reachable at ${where} (${first.reason}). As root, run: ${steps}`);
    return;
  }
  const freshlyInstalled = !server.installed();
  if (freshlyInstalled) aptInstall(server.packages);
  console.log(`[system] ${server.name} is not reachable at ${where}; starting it`);
  // The package's own start (freshly installed) may already have brought it up.
  if (!(await server.probe(url)).ok) server.start(url, { freshlyInstalled });
  const after = await waitFor(server.probe, url, server.readyWithinMs);
  if (!after.ok) problems.push(`${server.name} still not reachable at ${where} after starting it (${after.reason}). Try: ${server.startHint(url)}`);
  else console.log(`[system] ${server.name} is up at ${where}`);
}

const BINARIES = {
  nginx: { package: 'nginx', for: ['start', 'test'] },
  ffmpeg: { package: 'ffmpeg', for: ['test'] },
  // The translator workers' offline engines (speech to text, translation, speech); `also` are their data packages.
  pocketsphinx_continuous: { package: 'pocketsphinx', also: ['pocketsphinx-en-us'], for: ['start', 'test'] },
  apertium: { package: 'apertium', also: ['apertium-eng-spa'], for: ['start', 'test'] },
  'espeak-ng': { package: 'espeak-ng', for: ['start', 'test'] },
  // The console's browser tests drive Debian's chromium (Playwright cannot download its own here).
  chromium: { package: 'chromium', for: ['test'] },
};

function ensureBinaries(purpose, problems) {
  const missing = Object.entries(BINARIES).filter(([name, spec]) => spec.for.includes(purpose) && !findBinary(name));
  if (missing.length === 0) return;
  const packages = missing.flatMap(([, spec]) => [spec.package, ...(spec.also ?? [])]);
  if (canInstall()) {
    aptInstall(packages);
    // Debian's nginx package starts a daemon on port 80; the fleet runs its own nginx.
    if (packages.includes('nginx')) spawnSync(findBinary('nginx') ?? 'nginx', ['-s', 'quit'], { stdio: 'ignore' });
  }
  for (const [name, spec] of missing) {
    if (!findBinary(name)) problems.push(`${name} is not installed. Run: sudo apt-get install -y ${[spec.package, ...(spec.also ?? [])].join(' ')}`);
  }
}

/**
 * Makes the machine ready for `purpose` ('start' or 'test'), or prints every missing piece with its
 * fix and exits 1. Server addresses come from DATABASE_ADMIN_URL, REDIS_URL and RABBITMQ_URL; a
 * server is installed/started here only when its address is local.
 */
export async function ensureSystem({ purpose = 'start' } = {}) {
  const problems = [];
  ensureBinaries(purpose, problems);
  for (const server of SERVERS) await ensureServer(server, problems);
  if (problems.length === 0) return;
  console.error(`\nThe machine is not ready for \`npm ${purpose}\`:\n  - ${problems.join('\n  - ')}\n`);
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureSystem({ purpose: process.argv[2] ?? 'start' });
  console.log('[system] ready');
}

// `npm test`: install what is missing, build, lint, then run every compiled test file in ONE
// node:test run (one summary line for CI), several files at a time: each file is its own process
// with its own databases, its own TMPDIR, ports claimed for it (freePort), and, in e2e, a vhost
// and a redis-server per fleet.
// `npm run test:chaos`: the tests that stop or restart the machine's shared servers (RabbitMQ),
// named `*.chaos-spec.ts`; they run one file at a time and never beside the others.
// Usage: node tools/test.mjs [--chaos] [--list] [project-dir ...]   (default: every project)
//   --list               print the files the tier would run, in order, and stop (no build)
//   TEST_CONCURRENCY=n   files at once (default: cores + 1; always 1 for --chaos)
//   SKIP_LINT=1          skip the lint step; SKIP_BUILD=1: the build (run what dist/ holds)
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureConsoleBuilt } from './console-build.mjs';
import { ensureNpmDependencies } from './ensure-deps.mjs';
import { ensureRuntime } from './runtime.mjs';
import { ensureSystem } from './system.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

ensureNpmDependencies();
await ensureRuntime();
const args = process.argv.slice(2);
const chaos = args.includes('--chaos');
const listOnly = args.includes('--list');
const only = args.filter((arg) => !arg.startsWith('--'));
if (!listOnly) {
  await ensureSystem({ purpose: 'test' });
  // With project folders given, build just those (and what they reference): a quick loop for one project.
  if (!process.env.SKIP_BUILD) {
    execSync(`npx tsc -b ${only.join(' ')}`, { stdio: 'inherit' });
    // nginx serves the built console; the browser tests drive it.
    ensureConsoleBuilt();
  }
  if (!process.env.SKIP_LINT) execSync('npm run -s lint', { stdio: 'inherit' });
}

const TEST_FILE = /\.(spec|e2e-spec|integration-spec|chaos-spec)\.js$/;
const isChaos = (file) => file.endsWith('.chaos-spec.js');

function findSpecs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findSpecs(full);
    return TEST_FILE.test(name) ? [full] : [];
  });
}

const projects = only.length
  ? only
  : ['libs', 'services'].flatMap((kind) => readdirSync(kind).map((name) => path.join(kind, name))).concat(['gateway/local', 'gateway/identity', 'e2e', 'deploy']);
// tsc -b never deletes an output whose source was renamed or removed: skip those (a test renamed
// to .chaos-spec.ts must not keep running in the concurrent tier as its old .spec.js).
const hasSource = (project, file) => existsSync(path.join(project, path.relative(path.join(project, 'dist'), file).replace(/\.js$/, '.ts')));
const files = projects
  .flatMap((project) =>
    findSpecs(path.join(project, 'dist', 'test'))
      .concat(findSpecs(path.join(project, 'dist', 'src')))
      .filter((file) => hasSource(project, file) || console.log(`[test] skipping ${file}: its source is gone (a stale build output)`)),
  )
  .filter((file) => isChaos(file) === chaos);
if (files.length === 0) {
  console.error(chaos ? 'No chaos test files (*.chaos-spec.ts) found' : 'No test files found');
  process.exit(only.length && chaos ? 0 : 1);
}

// Longest first, so that the long files do not end up alone at the end of the run: the durations
// of the previous run (logs/test-durations.json, written by tools/test-durations-reporter.mjs),
// else a guess by kind (a whole fleet behind nginx, a service process, the rest).
mkdirSync(path.join(root, 'logs'), { recursive: true });
const durationsFile = path.join(root, 'logs', 'test-durations.json');
let previous = {};
try {
  previous = JSON.parse(readFileSync(durationsFile, 'utf8'));
} catch {
  // first run: guess
}
const guess = (file) => (file.includes('.e2e-spec.') ? 60_000 : file.includes(`${path.sep}services${path.sep}`) ? 20_000 : 2_000);
const expected = (file) => previous[file] ?? guess(file);
files.sort((a, b) => expected(b) - expected(a) || a.localeCompare(b));

if (listOnly) {
  console.log(files.join('\n'));
  process.exit(0);
}
// Files mostly wait (on services booting, on timers); one more than the cores keeps them busy
// without starving a whole fleet's boot (measured on 2 cores: see the README, Tests).
const concurrency = chaos ? 1 : Number(process.env.TEST_CONCURRENCY) || os.availableParallelism() + 1;
console.log(`[test] node ${process.version}, ${files.length} ${chaos ? 'chaos ' : ''}test file(s), ${concurrency} at a time`);
// Each file gets a TMPDIR of its own under runDir (tools/test-isolation.mjs); ports handed out by
// @fleet/local-fleet's freePort() are claimed in one directory shared by every file.
const runDir = mkdtempSync(path.join(os.tmpdir(), 'fleet-tests-'));
const result = spawnSync(
  process.execPath,
  [
    `--import=${pathToFileURL(path.join(root, 'tools', 'test-isolation.mjs')).href}`,
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-force-exit',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(root, 'tools', 'test-durations-reporter.mjs')}`,
    `--test-reporter-destination=${path.join(root, 'logs', chaos ? 'test-durations-chaos.log' : 'test-durations.log')}`,
    ...files,
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'test',
      FLEET_ROOT: root,
      FLEET_TEST_DURATIONS: durationsFile,
      FLEET_TEST_RUN_DIR: runDir,
      FLEET_PORT_CLAIMS_DIR: process.env.FLEET_PORT_CLAIMS_DIR || path.join(os.tmpdir(), 'fleet-port-claims'),
    },
  },
);
rmSync(runDir, { recursive: true, force: true, maxRetries: 3 });
process.exit(result.status ?? 1);

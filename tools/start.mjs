// `npm start`: everything a fresh clone needs, then the whole fleet as local processes with
// nginx in front. Ctrl-C stops every process it started.
//   1. npm dependencies (when missing or older than the lockfile), then Node 24: started by an
//      older node, this script runs itself again under the pinned one (tools/runtime.mjs)
//   2. the machine: PostgreSQL, Redis, RabbitMQ reachable; nginx installed (tools/system.mjs)
//   3. `npx tsc -b`, and the console (gateway/console) when its sources changed
//   4. gateway/local: the local identity provider (/keycloak), migrations, service instances,
//      nginx (gateway/local/src/fleet.ts)
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureConsoleBuilt } from './console-build.mjs';
import { ensureNpmDependencies } from './ensure-deps.mjs';
import { ensureRuntime } from './runtime.mjs';
import { ensureSystem } from './system.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
if (existsSync('.env')) process.loadEnvFile('.env');

ensureNpmDependencies();
await ensureRuntime();
await ensureSystem({ purpose: 'start' });
console.log('[build] npx tsc -b');
try {
  execSync('npx tsc -b', { stdio: 'inherit' });
  ensureConsoleBuilt();
} catch {
  console.error('The build failed (see above); nothing was started.');
  process.exit(1);
}
// Same process: the launcher owns the signal handlers and the children.
const launcher = await import(pathToFileURL(path.join(root, 'gateway/local/dist/src/start.js')).href);
await (launcher.main ?? launcher.default.main)();

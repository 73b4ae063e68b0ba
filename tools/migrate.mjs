// `npm run migrate`: provisions and migrates every service's schema, one service after another.
// Each service's own `migrate` script does the work (advisory-locked, safe for replicas), on Node 24
// (tools/runtime.mjs: run by an older node, this script runs itself again under the pinned one).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRuntime } from './runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function servicesWithMigrations() {
  const dir = path.join(root, 'services');
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, 'package.json')))
    .filter((name) => JSON.parse(readFileSync(path.join(dir, name, 'package.json'), 'utf8')).scripts?.migrate);
}

export function migrateAll(env = process.env) {
  for (const service of servicesWithMigrations()) {
    const entry = path.join(root, 'services', service, 'dist', 'src', 'migrate.js');
    const result = spawnSync(process.execPath, [entry], { stdio: 'inherit', env });
    if (result.status !== 0) throw new Error(`migrations of ${service} failed (exit ${result.status})`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureRuntime();
  try {
    migrateAll();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}

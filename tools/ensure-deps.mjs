// Installs npm dependencies when they are missing or older than the lockfile, so that
// `npm start` and `npm test` work on a fresh clone without a separate install step.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function ensureNpmDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  // Not `npm ci`: the registry these machines reach serves only the linux builds of packages with
  // per-platform optional dependencies (nx), so the lockfile cannot list the others and `npm ci`
  // refuses it as out of sync. `npm install` still installs the locked versions.
  const command = 'npm install';
  console.log(`[deps] ${command} (dependencies missing or older than the lockfile)`);
  execSync(command, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip', npm_config_audit: 'false', npm_config_fund: 'false' },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureNpmDependencies();

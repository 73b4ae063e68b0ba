// Builds the operator console (gateway/console, Vite) when its sources changed since the last
// build: a hash of its sources is kept next to the output (dist/.source-hash). `npm start` and
// `npm test` call it, so nginx always serves the console of the checked-out sources.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = path.join(root, 'gateway', 'console');
const distDir = path.join(consoleDir, 'dist');
const stampFile = path.join(distDir, '.source-hash');
const INPUTS = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];

function files(entry) {
  const full = path.join(consoleDir, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full).flatMap((name) => files(path.join(entry, name)));
}

function sourceHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files).sort()) hash.update(path.relative(consoleDir, file)).update('\0').update(readFileSync(file)).update('\0');
  // The locked versions of what it bundles.
  hash.update(readFileSync(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
}

/**
 * Builds when the sources changed (or always, with `force`). The build goes to a folder of its
 * own and replaces dist/ in one rename, so an nginx serving dist/ never sees a half-written build.
 */
export function ensureConsoleBuilt({ force = false } = {}) {
  const hash = sourceHash();
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return false;
  console.log(`[console] building gateway/console${force ? '' : ' (its sources changed)'}`);
  const staging = path.join(consoleDir, `.dist-${process.pid}`);
  const retired = path.join(consoleDir, `.dist-old-${process.pid}`);
  try {
    execSync(`npx tsc -p . && npx vite build --outDir ${staging}`, { cwd: consoleDir, stdio: 'inherit' });
    writeFileSync(path.join(staging, '.source-hash'), hash);
    if (existsSync(distDir)) renameSync(distDir, retired);
    renameSync(staging, distDir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(retired, { recursive: true, force: true });
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureConsoleBuilt({ force: process.argv.includes('--force') });

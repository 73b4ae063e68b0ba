// Builds the operator console (gateway/console, Vite) when its sources changed since the last
// build: a hash of its sources is kept next to the output (dist/.source-hash). `npm start` and
// `npm test` call it, so nginx always serves the console of the checked-out sources.
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const consoleDir = path.join(root, 'gateway', 'console');
const stampFile = path.join(consoleDir, 'dist', '.source-hash');
const INPUTS = ['src', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];

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

export function ensureConsoleBuilt() {
  const hash = sourceHash();
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return false;
  console.log('[console] building gateway/console (its sources changed)');
  execSync('npm run -s build -w @fleet/console', { cwd: root, stdio: 'inherit' });
  writeFileSync(stampFile, hash);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureConsoleBuilt();

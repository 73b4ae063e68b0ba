// `npm test`: install what is missing, build, lint, then run every compiled test file in ONE
// node:test run (one summary line for CI). Test files run one at a time because several of
// them restart RabbitMQ or start nginx on fixed ports.
// Usage: node tools/test.mjs [project-dir ...]   (default: every project)
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNpmDependencies } from './ensure-deps.mjs';
import { ensureSystem } from './system.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

ensureNpmDependencies();
await ensureSystem({ purpose: 'test' });
const only = process.argv.slice(2);
// With project folders given, build just those (and what they reference): a quick loop for one project.
execSync(`npx tsc -b ${only.join(' ')}`, { stdio: 'inherit' });
if (!process.env.SKIP_LINT) execSync('npm run -s lint', { stdio: 'inherit' });

function findSpecs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return findSpecs(full);
    return /\.(spec|e2e-spec|integration-spec)\.js$/.test(name) ? [full] : [];
  });
}

const projects = only.length
  ? only
  : ['libs', 'services'].flatMap((kind) => readdirSync(kind).map((name) => path.join(kind, name))).concat(['gateway/local', 'e2e']);
const files = projects.flatMap((project) => findSpecs(path.join(project, 'dist', 'test')).concat(findSpecs(path.join(project, 'dist', 'src')))).sort();
if (files.length === 0) {
  console.error('No test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', '--test-force-exit', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', FLEET_ROOT: root } },
);
process.exit(result.status ?? 1);

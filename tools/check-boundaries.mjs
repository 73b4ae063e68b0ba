// Module boundaries, enforced on every `npm run lint` (and so on every `npm test`):
//  1. every `@fleet/*` import in a project's sources is declared in its package.json, so the Nx
//     project graph (built from those declarations) is the truth;
//  2. no relative import leaves its project's folder (services share code only through libs);
//  3. on the Nx graph, tags decide who may depend on whom (see RULES).
import { execSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** scope tag -> scopes it may depend on (besides itself). */
const RULES = {
  'scope:shared': ['scope:shared'],
  'scope:tooling': ['scope:shared'],
  'scope:e2e': ['scope:shared', 'scope:tooling'],
  // every service scope: shared only (checked generically below)
};

function projectGraph() {
  mkdirSync(path.join(root, '.nx'), { recursive: true });
  const file = path.join(root, '.nx', 'graph.json');
  execSync(`npx nx graph --file=${file}`, { cwd: root, stdio: 'ignore', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  return JSON.parse(readFileSync(file, 'utf8')).graph;
}

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|cts)$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s+['"]([^'"]+)['"]/g;

const problems = [];
const graph = projectGraph();
const byName = graph.nodes;

for (const [name, node] of Object.entries(byName)) {
  const projectRoot = path.join(root, node.data.root);
  const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
  const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]);
  for (const file of sourceFiles(projectRoot)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
      const where = path.relative(root, file);
      if (spec.startsWith('@fleet/')) {
        const target = spec.split('/').slice(0, 2).join('/');
        if (target !== name && !declared.has(target)) problems.push(`${where}: imports ${target} but ${name}'s package.json does not declare it`);
      } else if (spec.startsWith('.')) {
        const resolved = path.resolve(path.dirname(file), spec);
        if (!resolved.startsWith(projectRoot + path.sep)) problems.push(`${where}: relative import "${spec}" leaves project ${name}; import a lib by its @fleet alias`);
      }
    }
  }
}

for (const [source, deps] of Object.entries(graph.dependencies)) {
  const sourceScope = byName[source]?.data.tags.find((t) => t.startsWith('scope:'));
  const sourceType = byName[source]?.data.tags.find((t) => t.startsWith('type:'));
  for (const { target } of deps) {
    if (!byName[target]) continue; // npm packages
    const targetScope = byName[target].data.tags.find((t) => t.startsWith('scope:'));
    const targetType = byName[target].data.tags.find((t) => t.startsWith('type:'));
    const allowed = RULES[sourceScope] ?? ['scope:shared'];
    if (targetScope !== sourceScope && !allowed.includes(targetScope)) {
      problems.push(`${source} (${sourceScope}) may not depend on ${target} (${targetScope})`);
    }
    if (sourceType === 'type:lib' && targetType !== 'type:lib') problems.push(`library ${source} may not depend on ${target} (${targetType})`);
  }
}

if (problems.length) {
  console.error(`Module boundary violations:\n  - ${problems.join('\n  - ')}`);
  process.exit(1);
}
console.log(`module boundaries: ${Object.keys(byName).length} projects checked, no violations`);

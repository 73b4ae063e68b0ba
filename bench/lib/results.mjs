// The benchmarks' shared record: each `npm run bench:<name>` ends by writing the figures it
// printed into bench/results.json under its own name, with when, under what load and on which
// commit it measured them. `npm run capacity` (tools/capacity.mjs) sizes a deployment from that
// file. Entries not written by a run were seeded by hand: their `source` and `note` say from where,
// and the next run of that bench replaces them. BENCH_RESULTS_FILE writes elsewhere (a trial run).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_FILE = path.join(root, 'bench', 'results.json');

/** `abc1234`, `abc1234-dirty` when the work tree differs from it, or null outside a git checkout. */
function gitCommit(cwd) {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return dirty ? `${commit}-dirty` : commit;
  } catch {
    return null;
  }
}

/** The entry a run writes: the figures plus the conditions they were measured under. */
export function benchEntry(bench, figures, { conditions = {}, now = new Date(), cwd = root } = {}) {
  return {
    source: `npm run bench:${bench}`,
    date: now.toISOString(),
    // 1, 5 and 15 minute load averages at the end of the run: these machines are shared and noisy.
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
    cpus: os.availableParallelism(),
    commit: gitCommit(cwd),
    node: process.version,
    conditions,
    figures,
  };
}

/**
 * Writes `figures` as the entry `bench` (replacing the previous one, keeping the others). The file
 * is replaced in one rename, so a reader never sees half of it. Returns the entry written.
 */
export function recordBenchResults(bench, figures, { file = process.env.BENCH_RESULTS_FILE || RESULTS_FILE, conditions, now } = {}) {
  const entry = benchEntry(bench, figures, { conditions, now });
  const results = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  results[bench] = entry;
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(partial, file);
  console.log(`[bench] figures recorded in ${path.relative(process.cwd(), file) || file} as "${bench}" (load average ${entry.loadAverage.join(' ')}, commit ${entry.commit ?? 'unknown'})`);
  return entry;
}

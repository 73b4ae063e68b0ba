// bench/lib/results.mjs, the recorder every `npm run bench:*` ends with, writing what the
// capacity model reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchFigures, BenchResults } from '../src/capacity';

const ROOT = path.resolve(__dirname, '../../../..');

interface Recorder {
  recordBenchResults(bench: string, figures: Record<string, unknown>, options: { file: string; conditions?: Record<string, unknown> }): unknown;
}

/** The recorder is an ES module; this project compiles to CommonJS, whose import() would become require(). */
const loadRecorder = (): Promise<Recorder> =>
  (new Function('url', 'return import(url)') as (url: string) => Promise<Recorder>)(pathToFileURL(path.join(ROOT, 'bench', 'lib', 'results.mjs')).href);

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as BenchResults;

describe('bench/lib/results.mjs', () => {
  it('replaces its own bench\'s entry, keeps the others, and says when, under what load and on which commit', async () => {
    const { recordBenchResults } = await loadRecorder();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-results-'));
    const file = path.join(dir, 'results.json');
    const seeded = { source: 'README, bench:video', note: 'Seeded by hand', date: '2026-11-23', loadAverage: '~17', figures: { rss_mb: 150 } };
    writeFileSync(file, JSON.stringify({ video: seeded, tickets: { ...seeded, source: 'issue 3 closing note', figures: { check: { cpu_ms_per_request: 5 } } } }));

    const before = Date.now();
    recordBenchResults('tickets', { check: { per_s: 812, cpu_ms_per_request: 3.2 } }, { file, conditions: { connections: 64 } });

    const written = read(file);
    assert.deepEqual(written.video, seeded);
    const entry = written.tickets;
    assert.equal(entry.source, 'npm run bench:tickets');
    assert.equal('note' in entry, false, 'a run drops the seed\'s note with its figures');
    assert.deepEqual(entry.figures, { check: { per_s: 812, cpu_ms_per_request: 3.2 } });
    assert.deepEqual(entry.conditions, { connections: 64 });
    assert.ok(Date.parse(entry.date) >= before - 1000 && Date.parse(entry.date) <= Date.now() + 1000, entry.date);
    assert.ok(Array.isArray(entry.loadAverage) && entry.loadAverage.length === 3 && entry.loadAverage.every((x) => typeof x === 'number'));
    assert.equal(entry.cpus, os.availableParallelism());
    assert.match(entry.commit ?? '', /^[0-9a-f]{7,}(-dirty)?$/);
    assert.deepEqual(readdirSync(dir), ['results.json'], 'no partial file left behind');

    // What the capacity model reads from it: the run's figure, named as a run, not as a seed.
    const figure = new BenchFigures(written).find('tickets', ['check', 'cpu_ms_per_request']);
    assert.equal(figure?.value, 3.2);
    assert.match(figure?.basis ?? '', /\(npm run bench:tickets, \d{4}-\d\d-\d\d, load [\d.]+ [\d.]+ [\d.]+, commit [0-9a-f]{7,}/);
    assert.doesNotMatch(figure?.basis ?? '', /seeded/);
  });

  it('starts the file when there is none', async () => {
    const { recordBenchResults } = await loadRecorder();
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-results-')), 'results.json');
    assert.equal(existsSync(file), false);
    recordBenchResults('rpc', { concurrent: { fleet: { req_per_s: 5000 } } }, { file });
    assert.deepEqual(Object.keys(read(file)), ['rpc']);
    assert.equal(new BenchFigures(read(file)).find('rpc', ['concurrent', 'fleet', 'req_per_s'])?.value, 5000);
  });
});

// `npm run capacity -- --stations 50 --robots-per-station 20 --drones 100 --translation-hours-per-day 40`:
// replicas, CPU and memory per service at the busiest minute of a station network, from the figures
// the benchmarks recorded in bench/results.json (bench/lib/results.mjs) and the assumptions it
// prints. The model is gateway/local/src/capacity/ (built by the npm script); this file only reads
// the figures and prints. `--json` prints the plan as JSON instead of the report.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const model = await import(pathToFileURL(path.join(root, 'gateway/local/dist/src/capacity/index.js')).href);
const { CAPACITY_USAGE, MissingFigureError, capacityFigures, formatCapacityReport, parseCapacityArgs, planCapacity } = model.default ?? model;

function fail(message, code) {
  console.error(message);
  process.exit(code);
}

let request;
try {
  request = parseCapacityArgs(process.argv.slice(2));
} catch (error) {
  fail(`${error.message}\n${CAPACITY_USAGE}`, 2);
}
const file = path.resolve(request.resultsFile ?? path.join(root, 'bench', 'results.json'));
if (!existsSync(file)) fail(`${file} does not exist: run the benchmarks (npm run bench:*) first`, 1);
try {
  const plan = planCapacity(request.network, capacityFigures(JSON.parse(readFileSync(file, 'utf8'))), request.overrides);
  console.log(request.json ? JSON.stringify(plan, null, 2) : formatCapacityReport(plan));
} catch (error) {
  if (error instanceof MissingFigureError || error instanceof RangeError) fail(error.message, error instanceof RangeError ? 2 : 1);
  throw error;
}

// node:test reporter used by tools/test.mjs: records how long each test file took (its process,
// start to end) in $FLEET_TEST_DURATIONS (JSON, merged with earlier runs), so the next run can
// start the longest files first (keys: paths relative to the repository root); writes the files
// by duration to its destination.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export default async function* durations(source) {
  const measured = {};
  for await (const event of source) {
    const { file, name, nesting, details } = event.data ?? {};
    // One `test:complete` per file, named after it (the path as given), with the time of its process.
    if (event.type === 'test:complete' && file && nesting === 0 && path.resolve(name) === file && details?.duration_ms !== undefined) {
      measured[path.relative(process.cwd(), file)] = Math.round(details.duration_ms);
    }
  }
  const target = process.env.FLEET_TEST_DURATIONS;
  if (target) {
    let known = {};
    try {
      known = JSON.parse(readFileSync(target, 'utf8'));
    } catch {
      // none yet
    }
    writeFileSync(target, `${JSON.stringify({ ...known, ...measured }, null, 1)}\n`);
  }
  const rows = Object.entries(measured).sort((a, b) => b[1] - a[1]);
  yield `${rows.map(([file, ms]) => `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`).join('\n')}\n`;
}

// Preloaded (`--import`) by tools/test.mjs into each test file's process: gives the file a TMPDIR
// of its own under the run's directory, so files running at the same time never share a path
// under os.tmpdir() (a cached test clip, a default media or model dir, an npm pack cache), and
// neither do the services they start, which inherit it. The runner removes the run's directory.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';

// Only in the files' processes (node:test marks them), not in the runner itself.
if (process.env.NODE_TEST_CONTEXT && process.env.FLEET_TEST_RUN_DIR) {
  process.env.TMPDIR = mkdtempSync(path.join(process.env.FLEET_TEST_RUN_DIR, 'f-'));
}

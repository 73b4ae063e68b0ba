import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stopChild } from '@fleet/testing';

export interface ChromaServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A real ChromaDB server from its npm package, on its own port and a throwaway data directory. */
export async function startChromaServer(port: number): Promise<ChromaServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-face-chroma-'));
  // The package exports no ./package.json; its CommonJS entry lives under dist/cjs/.
  const cli = path.join(require.resolve('chromadb').split(`${path.sep}dist${path.sep}`)[0], 'dist', 'cli.mjs');
  const child = spawn(process.execPath, [cli, 'run', '--path', dir, '--port', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`chroma exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/api/v2/heartbeat`).then((r) => r.ok, () => false);
    if (ok) {
      return {
        url,
        child,
        stop: async () => {
          await stopChild(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stopChild(child);
  throw new Error(`chroma did not answer on ${url} within 30 s`);
}

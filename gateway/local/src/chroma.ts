import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { ManagedChild } from './child-process';

/** Services that keep vectors in ChromaDB; the launcher starts a server only when one of them runs. */
export const CHROMA_SERVICES: readonly string[] = ['face'];

export const DEFAULT_CHROMA_PORT = 8000;

export interface LocalChromaOptions {
  root: string;
  /** Its data lives in `<dataDir>`: a fresh run directory gives a fresh index (e2e), `.dev/` keeps it (npm start). */
  dataDir: string;
  logDir: string;
  port: number;
  timeoutMs?: number;
}

/**
 * A real ChromaDB server from its npm package (`chromadb/dist/cli.mjs run`), as compose runs its
 * image. Resolves once its heartbeat answers; stop it with the returned child's stop() (SIGTERM).
 */
export async function startLocalChroma(options: LocalChromaOptions): Promise<{ child: ManagedChild; url: string }> {
  mkdirSync(options.dataDir, { recursive: true });
  const cli = path.join(options.root, 'node_modules', 'chromadb', 'dist', 'cli.mjs');
  const child = new ManagedChild({
    name: 'chroma',
    command: process.execPath,
    args: [cli, 'run', '--path', options.dataDir, '--port', String(options.port)],
    cwd: options.root,
    env: process.env,
    logFile: path.join(options.logDir, 'chroma.log'),
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    if (!child.running) throw new Error(`chroma exited during startup (code ${child.child.exitCode}); its output:\n${child.output()}`);
    const up = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (up) return { child, url };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await child.stop();
  throw new Error(`chroma did not answer on ${url} within ${options.timeoutMs ?? 30_000} ms; its log: ${child.options.logFile}`);
}

import type { ChildProcess } from 'node:child_process';

export type JsonLogLine = Record<string, unknown> & { msg?: string };

/**
 * Collects a child process's JSON log lines (stdout) as they arrive; a line that is not JSON is
 * kept as `{ raw }`, stderr output as `{ stderr }`, so a failing test can print what happened.
 */
export function collectJsonLogs(child: ChildProcess): JsonLogLine[] {
  const logs: JsonLogLine[] = [];
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as JsonLogLine);
      } catch {
        logs.push({ raw: line });
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => logs.push({ stderr: chunk.toString() }));
  return logs;
}

/** SIGTERMs a child and resolves once it exited; at once if it already had (by code or by signal). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

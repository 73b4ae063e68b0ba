import { existsSync, readFileSync } from 'node:fs';
import { ManagedChild } from './child-process';

/** Waits until `url` answers 200, failing early (with the child's output) if the child exits first. */
export async function waitForHttp(url: string, child: ManagedChild, timeoutMs: number, what: string, extraLog?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!child.running) {
      const extra = extraLog && existsSync(extraLog) ? `\n${extraLog}:\n${readFileSync(extraLog, 'utf8').slice(-2000)}` : '';
      throw new Error(`${what} exited during startup (code ${child.child.exitCode}); its output (${child.options.logFile}):\n${child.output()}${extra}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.status === 200) return;
      last = `${response.status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms (${url}: ${last}); its log: ${child.options.logFile}`);
}

/** Told about every child once it is up, so an exit nobody asked for can be reported. */
export type ExitWatcher = (name: string, child: ManagedChild) => void;

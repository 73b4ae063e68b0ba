import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';

export interface ManagedChildOptions {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** Signal for a clean stop (nginx: SIGQUIT, graceful). */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
}

// Children still alive when the launcher's process exits for any reason (a crash, process.exit in
// a test runner) are killed here, so a launcher never leaves orphans behind it.
const alive = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of alive) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * One child process of the fleet, in its own process group so that a terminal's Ctrl-C reaches
 * only the launcher, which then stops children in order (gateway first, then services).
 */
export class ManagedChild {
  readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private readonly logOffset: number;
  /** True once stop() was called: an exit after that is expected. */
  stopRequested = false;

  constructor(readonly options: ManagedChildOptions) {
    installExitHook();
    this.logOffset = fileSize(options.logFile);
    const fd = openSync(options.logFile, 'a');
    try {
      this.child = spawn(options.command, options.args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', fd, fd],
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    alive.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        alive.delete(this.child);
        resolve(code ?? (signal ? 128 : null));
      });
      this.child.once('error', () => {
        alive.delete(this.child);
        resolve(127);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && alive.has(this.child);
  }

  /** Exit code once the process has ended. */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  /** What this process wrote to its log since it started (last `maxChars`). */
  output(maxChars = 4000): string {
    try {
      const text = readFileSync(this.options.logFile).subarray(this.logOffset).toString();
      return text.length > maxChars ? `…${text.slice(-maxChars)}` : text;
    } catch {
      return '';
    }
  }

  /** Clean stop with the configured signal; SIGKILL after the timeout. Resolves when it is gone. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    if (!this.running) return;
    const { stopSignal = 'SIGTERM', stopTimeoutMs = 10_000 } = this.options;
    this.child.kill(stopSignal);
    const timer = setTimeout(() => {
      if (this.running) this.child.kill('SIGKILL');
    }, stopTimeoutMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Runs a command to completion with its output appended to `logFile`; rejects with the output on failure. */
export async function runToCompletion(options: Omit<ManagedChildOptions, 'stopSignal'>, timeoutMs: number): Promise<void> {
  const child = new ManagedChild(options);
  const timer = setTimeout(() => void child.stop(), timeoutMs);
  const code = await child.waitForExit().finally(() => clearTimeout(timer));
  if (code !== 0) {
    throw new Error(`${options.name} failed (exit ${code}); its output (${options.logFile}):\n${child.output()}`);
  }
}

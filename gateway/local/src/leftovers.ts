import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

interface Recorded {
  pid: number;
  cmdline: string;
}

function cmdlineOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Records the fleet's children, so that a launcher killed with SIGKILL can be cleaned up after. */
export function recordChildren(file: string, pids: Array<number | undefined>): void {
  const recorded: Recorded[] = pids
    .filter((pid): pid is number => pid !== undefined)
    .map((pid) => ({ pid, cmdline: cmdlineOf(pid) ?? '' }))
    .filter((entry) => entry.cmdline);
  writeFileSync(file, JSON.stringify(recorded));
}

export function forgetChildren(file: string): void {
  rmSync(file, { force: true });
}

/**
 * Stops processes a previous launcher on the same gateway port started and never stopped (it was
 * killed outright). Only a pid whose command line is still exactly the recorded one is signalled,
 * so a reused pid is never touched. Returns what it stopped.
 */
export async function stopLeftovers(file: string): Promise<string[]> {
  if (!existsSync(file)) return [];
  let recorded: Recorded[] = [];
  try {
    recorded = JSON.parse(readFileSync(file, 'utf8')) as Recorded[];
  } catch {
    // unreadable: nothing we can safely act on
  }
  const stopped: string[] = [];
  for (const { pid, cmdline } of recorded) {
    if (cmdlineOf(pid) !== cmdline) continue;
    process.kill(pid, cmdline.startsWith('nginx') ? 'SIGQUIT' : 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (cmdlineOf(pid) === cmdline && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (cmdlineOf(pid) === cmdline) process.kill(pid, 'SIGKILL');
    stopped.push(`${cmdline.split('\0').filter(Boolean).join(' ').slice(0, 80)} (pid ${pid})`);
  }
  forgetChildren(file);
  return stopped;
}

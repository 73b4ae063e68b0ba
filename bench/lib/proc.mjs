// What /proc says about a process, for the benchmarks' per-process figures (CPU per call, peak
// memory): figures that a busy machine distorts far less than latency or calls per second.
import { readFileSync } from 'node:fs';

/** CPU time (user + system, ms, all its threads) a process has used so far; /proc counts it in ticks of 10 ms. Throws once the process is gone. */
export function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime
}

/** As {@link cpuMs}, but 0 for a process that is gone (one a phase stopped or restarted). */
export function cpuMsIfAlive(pid) {
  try {
    return cpuMs(pid);
  } catch {
    return 0;
  }
}

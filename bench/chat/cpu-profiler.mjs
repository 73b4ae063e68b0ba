// Preloaded into each base instance by bench/chat when BENCH_PROF_DIR is set (NODE_OPTIONS accepts
// --import but not --cpu-prof): the first SIGUSR2 starts V8's CPU profiler, the second writes
// <BENCH_PROF_DIR>/base-<pid>.cpuprofile, so the profile covers the ramp and not the boot.
import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const session = new inspector.Session();
session.connect();
let running = false;
process.on('SIGUSR2', () => {
  if (!running) {
    session.post('Profiler.enable', () => session.post('Profiler.start'));
    running = true;
    return;
  }
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(path.join(process.env.BENCH_PROF_DIR, `base-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
  running = false;
});

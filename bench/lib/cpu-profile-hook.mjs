// Preloaded into the fleet's processes by bench:face and bench:vision with BENCH_PROF_DIR
// (`NODE_OPTIONS=--import`): Node 20 refuses `--cpu-prof` in NODE_OPTIONS, and the launcher runs
// its migrations with it. Only the entry points BENCH_PROF_MATCH names (a regular expression over
// `<service>/dist/src/<entry>.js`; default: base's and face's main) are profiled; the profile is
// written when the process exits, as `<service>-<entry>-<pid>.cpuprofile`.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_PROF_DIR;
const main = process.argv[1] ?? '';
const entry = /services\/(\w+)\/dist\/src\/(\w+)\.js$/.exec(main);
const wanted = new RegExp(`^(${process.env.BENCH_PROF_MATCH ?? '(face|base)/main'})$`);
if (dir && entry && wanted.test(`${entry[1]}/${entry[2]}`)) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  const name = `${entry[1]}-${entry[2]}`;
  let written = false;
  // The inspector answers a session of its own thread synchronously, so this works in 'exit'.
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on('exit', write);
  // Nest's shutdown hook re-raises SIGTERM after closing, which ends the process without 'exit':
  // written at the signal, then out of the way so the re-raised signal ends the process.
  const onSignal = () => {
    write();
    process.removeListener('SIGTERM', onSignal);
  };
  process.on('SIGTERM', onSignal);
}

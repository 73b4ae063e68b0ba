import { existsSync } from 'node:fs';
import path from 'node:path';
import { runToCompletion } from './child-process';
import { FleetPlan } from './fleet-plan';
import { serviceFolderOf } from './services';

/** Each service's migrations (its `dist/src/migrate.js`), once per service, before any instance starts. */
export async function runMigrations(planned: FleetPlan, log: (line: string) => void): Promise<void> {
  const migrated = new Set<string>();
  for (const { spec, ports } of planned.units) {
    const service = serviceFolderOf(spec);
    if (ports.length === 0 || migrated.has(service)) continue;
    migrated.add(service);
    const entry = path.join(planned.root, 'services', service, 'dist', 'src', 'migrate.js');
    if (!existsSync(entry)) continue;
    const started = Date.now();
    await runToCompletion(
      {
        name: `migrations of ${service}`,
        command: process.execPath,
        args: [entry],
        cwd: planned.root,
        env: planned.serviceEnv(spec),
        logFile: path.join(planned.logDir, `migrate-${service}.log`),
      },
      120_000,
    );
    log(`migrations of ${service} done in ${Date.now() - started} ms`);
  }
}

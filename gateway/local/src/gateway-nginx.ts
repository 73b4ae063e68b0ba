import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ManagedChild, runToCompletion } from './child-process';
import { FleetInstance } from './fleet-instance';
import { FleetPlan } from './fleet-plan';
import { ExitWatcher, waitForHttp } from './http-ready';
import { findNginx } from './nginx-binary';
import { renderNginxConfig, templateUpstreams } from './nginx-config';

/** Renders the top-level nginx.conf for these instances into the fleet's own nginx prefix dir. */
export function writeNginxConfig(planned: FleetPlan, instances: FleetInstance[], keycloakUpstream?: string): string {
  const prefixDir = path.join(planned.runDir, 'nginx', String(planned.gatewayPort));
  mkdirSync(prefixDir, { recursive: true });
  const template = readFileSync(path.join(planned.root, 'nginx.conf'), 'utf8');
  const known = new Set(templateUpstreams(template));
  const upstreams: Record<string, string[]> = {};
  for (const { spec } of planned.units) {
    if (spec.publicPath && !known.has(spec.name)) throw new Error(`nginx.conf has no {{UPSTREAM ${spec.name}}} line for ${spec.publicPath}`);
    upstreams[spec.name] = instances.filter((i) => i.service === spec.name).map((i) => `127.0.0.1:${i.port}`);
  }
  if (keycloakUpstream) upstreams.keycloak = [keycloakUpstream];
  const config = renderNginxConfig(template, {
    listen: `${planned.gatewayHost}:${planned.gatewayPort}`,
    prefixDir,
    logDir: planned.logDir,
    consoleDir: path.join(planned.root, 'gateway', 'console', 'dist'),
    // As root, nginx would drop workers to `nobody`, who may not read a checkout under /root.
    userDirective: process.getuid?.() === 0 ? 'user root;' : '',
    upstreams,
  });
  const file = path.join(prefixDir, 'nginx.conf');
  writeFileSync(file, config);
  return file;
}

/** Checks the config (`nginx -t`), then runs nginx in the foreground until its /healthz answers. */
export async function startNginx(planned: FleetPlan, configFile: string, watch: ExitWatcher): Promise<ManagedChild> {
  const nginx = findNginx();
  const prefixDir = path.dirname(configFile);
  const errorLog = path.join(planned.logDir, 'nginx-error.log');
  const base = ['-p', prefixDir, '-c', configFile, '-e', errorLog];
  await runToCompletion(
    { name: 'nginx -t', command: nginx, args: ['-t', '-q', ...base], cwd: planned.root, env: process.env, logFile: path.join(planned.logDir, 'nginx.log') },
    15_000,
  );
  const child = new ManagedChild({
    name: 'nginx',
    command: nginx,
    args: [...base, '-g', 'daemon off;'],
    cwd: planned.root,
    env: process.env,
    logFile: path.join(planned.logDir, 'nginx.log'),
    stopSignal: 'SIGQUIT',
    stopTimeoutMs: 5000,
  });
  await waitForHttp(`http://${planned.gatewayHost}:${planned.gatewayPort}/healthz`, child, 10_000, 'nginx', errorLog);
  watch('nginx', child);
  return child;
}

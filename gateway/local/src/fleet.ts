import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHROMA_SERVICES, DEFAULT_CHROMA_PORT, startLocalChroma } from './chroma';
import { ManagedChild, runToCompletion } from './child-process';
import { forgetChildren, recordChildren, stopLeftovers } from './leftovers';
import { findNginx } from './nginx-binary';
import { renderNginxConfig, templateUpstreams } from './nginx-config';
import { assertPortFree, freePort } from './ports';
import { entryOf, FLEET_SERVICES, FleetServiceSpec, serviceFolderOf } from './services';

export interface FleetOptions {
  /** Base64 SPKI DER of the RSA key the services trust as the realm key (the dev key, or a test key). */
  realmPublicKey: string;
  /** Repository root; default: found from this file. */
  root?: string;
  gatewayHost?: string;
  gatewayPort?: number;
  services?: readonly FleetServiceSpec[];
  /** Instance count per service, overriding the services table. */
  instances?: Record<string, number>;
  /** Ports per service (one per instance), overriding the table's `firstPort`. */
  ports?: Record<string, number[]>;
  /** Added to every port of the services table (not to `ports`): a second fleet beside the first. */
  portOffset?: number;
  /** Postgres database the services use (one schema each inside it). */
  database?: string;
  databaseAdminUrl?: string;
  redisUrl?: string;
  rabbitmqUrl?: string;
  /** Issuer base the services check tokens against; default `http://<gateway>/keycloak`. */
  keycloakUrl?: string;
  keycloakRealm?: string;
  keycloakClientId?: string;
  /** A ChromaDB server to use; when absent and a service needs one (face), the launcher starts one from npm. */
  chromaUrl?: string;
  /** Port of the local ChromaDB; default 8000 + portOffset, or a free port when `ports` are given (tests). */
  chromaPort?: number;
  /** `host:port` of a Keycloak to route `/keycloak` to; none by default (the path answers 502). */
  keycloakUpstream?: string;
  /** Private state: the rendered nginx config and prefix dir (`<runDir>/nginx/<gatewayPort>/`). Default `<root>/.dev`. */
  runDir?: string;
  /** One log file per child. Default `<root>/logs`. */
  logDir?: string;
  logLevel?: string;
  /** Extra environment for every service instance (wins over everything else). */
  env?: Record<string, string>;
  healthTimeoutMs?: number;
  /** Progress lines (the CLI prints them; tests usually leave this out). */
  log?: (line: string) => void;
  /** Called when a child ends without being asked to (an instance crashed, nginx died). */
  onUnexpectedExit?: (name: string, code: number | null) => void;
}

export interface FleetInstance {
  service: string;
  instanceId: string;
  port: number;
  /** Direct URL of this instance (bypasses the gateway). */
  url: string;
  logFile: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Stops this instance (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Starts it again and waits until its /health answers 200. */
  start(): Promise<void>;
}

export interface Fleet {
  gatewayUrl: string;
  instances: FleetInstance[];
  logDir: string;
  nginxConfigFile: string;
  /** Stops nginx, then every instance; resolves when all are gone. Safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_GATEWAY_PORT = 8080;
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

interface ResolvedPlan {
  root: string;
  gatewayHost: string;
  gatewayPort: number;
  runDir: string;
  logDir: string;
  units: Array<{ spec: FleetServiceSpec; ports: number[] }>;
  serviceEnv: (spec: FleetServiceSpec) => NodeJS.ProcessEnv;
}

function serviceDatabaseUrl(adminUrl: string, service: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = `svc_${service}`;
  url.password = `svc_${service}`;
  url.pathname = `/${database}`;
  return url.toString();
}

function plan(options: FleetOptions): ResolvedPlan {
  const root = options.root ?? REPO_ROOT;
  const gatewayHost = options.gatewayHost ?? '127.0.0.1';
  const gatewayPort = options.gatewayPort ?? DEFAULT_GATEWAY_PORT;
  const adminUrl = options.databaseAdminUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = options.database ?? 'fleet';
  const units = (options.services ?? FLEET_SERVICES).map((spec) => {
    const count = options.instances?.[spec.name] ?? spec.instances;
    const ports = options.ports?.[spec.name] ?? Array.from({ length: count }, (_, i) => spec.firstPort + (options.portOffset ?? 0) + i);
    if (ports.length < count) throw new Error(`${spec.name}: ${count} instances but only ${ports.length} ports given`);
    return { spec, ports: ports.slice(0, count) };
  });
  // node --test marks its children with NODE_TEST_CONTEXT; services started from a test are not tests.
  const { NODE_TEST_CONTEXT: _testContext, ...inherited } = process.env;
  const serviceEnv = (spec: FleetServiceSpec): NodeJS.ProcessEnv => ({
    ...inherited,
    NODE_ENV: 'development',
    LOG_LEVEL: options.logLevel ?? 'info',
    DATABASE_URL: serviceDatabaseUrl(adminUrl, serviceFolderOf(spec), database),
    DATABASE_ADMIN_URL: adminUrl,
    REDIS_URL: options.redisUrl ?? 'redis://127.0.0.1:6379',
    RABBITMQ_URL: options.rabbitmqUrl ?? 'amqp://guest:guest@127.0.0.1:5672',
    KEYCLOAK_URL: options.keycloakUrl ?? `http://${gatewayHost}:${gatewayPort}/keycloak`,
    KEYCLOAK_REALM: options.keycloakRealm ?? 'fleet',
    KEYCLOAK_CLIENT_ID: options.keycloakClientId ?? 'fleet-api',
    KEYCLOAK_REALM_PUBLIC_KEY: options.realmPublicKey,
    // The video ingest's RTMP port moves with the offset too, so a second fleet does not collide.
    RTMP_PORT: inherited.RTMP_PORT ?? String(1935 + (options.portOffset ?? 0)),
    CHROMA_URL: options.chromaUrl ?? `http://127.0.0.1:${DEFAULT_CHROMA_PORT}`,
    ...options.env,
  });
  return {
    root,
    gatewayHost,
    gatewayPort,
    runDir: options.runDir ?? path.join(root, '.dev'),
    logDir: options.logDir ?? path.join(root, 'logs'),
    units,
    serviceEnv,
  };
}

async function waitForHttp(url: string, child: ManagedChild, timeoutMs: number, what: string, extraLog?: string): Promise<void> {
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

type ExitWatcher = (name: string, child: ManagedChild) => void;

function createInstance(planned: ResolvedPlan, spec: FleetServiceSpec, index: number, healthTimeoutMs: number, watch: ExitWatcher): FleetInstance {
  const port = planned.units.find((unit) => unit.spec === spec)!.ports[index];
  const instanceId = `${spec.name}-${index + 1}`;
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(planned.logDir, `${instanceId}.log`);
  const main = path.join(planned.root, ...entryOf(spec));
  let current: ManagedChild | undefined;
  return {
    service: spec.name,
    instanceId,
    port,
    url,
    logFile,
    get pid() {
      return current?.pid;
    },
    get running() {
      return current?.running ?? false;
    },
    async start() {
      if (current?.running) return;
      current = new ManagedChild({
        name: instanceId,
        command: process.execPath,
        args: [main],
        cwd: planned.root,
        env: { ...planned.serviceEnv(spec), PORT: String(port), INSTANCE_ID: instanceId },
        logFile,
      });
      await waitForHttp(`${url}/health`, current, healthTimeoutMs, instanceId);
      watch(instanceId, current);
    },
    async stop() {
      await current?.stop();
    },
  };
}

async function runMigrations(planned: ResolvedPlan, log: (line: string) => void): Promise<void> {
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

function writeNginxConfig(planned: ResolvedPlan, instances: FleetInstance[], keycloakUpstream?: string): string {
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
    staticDir: path.join(planned.root, 'gateway', 'static'),
    // As root, nginx would drop workers to `nobody`, who may not read a checkout under /root.
    userDirective: process.getuid?.() === 0 ? 'user root;' : '',
    upstreams,
  });
  const file = path.join(prefixDir, 'nginx.conf');
  writeFileSync(file, config);
  return file;
}

async function startNginx(planned: ResolvedPlan, configFile: string, watch: ExitWatcher): Promise<ManagedChild> {
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

/**
 * Where the services find ChromaDB: the given CHROMA_URL, or a local server the launcher starts
 * (`startPort`) when some service that needs one runs.
 */
async function chromaPlan(options: FleetOptions): Promise<{ url?: string; startPort?: number }> {
  if (options.chromaUrl) return { url: options.chromaUrl };
  const needed = (options.services ?? FLEET_SERVICES).some(
    (spec) => CHROMA_SERVICES.includes(serviceFolderOf(spec)) && (options.instances?.[spec.name] ?? spec.instances) > 0,
  );
  if (!needed) return {};
  const port = options.chromaPort ?? (options.ports ? await freePort() : DEFAULT_CHROMA_PORT + (options.portOffset ?? 0));
  return { url: `http://127.0.0.1:${port}`, startPort: port };
}

/**
 * Starts the local fleet: migrations, every instance of every service (waiting for /health), then
 * nginx in front with the top-level nginx.conf rendered for these ports. On any failure, whatever
 * was started is stopped again before the error is thrown.
 */
export async function startFleet(fleetOptions: FleetOptions): Promise<Fleet> {
  const log = fleetOptions.log ?? (() => undefined);
  const chroma = await chromaPlan(fleetOptions);
  const options: FleetOptions = { ...fleetOptions, chromaUrl: chroma.url };
  const planned = plan(options);
  mkdirSync(planned.logDir, { recursive: true });
  const prefixDir = path.join(planned.runDir, 'nginx', String(planned.gatewayPort));
  mkdirSync(prefixDir, { recursive: true });
  const pidFile = path.join(prefixDir, 'fleet.pids.json');
  for (const leftover of await stopLeftovers(pidFile)) log(`stopped ${leftover}, left over by a launcher that was killed`);
  for (const { spec, ports } of planned.units) {
    const main = path.join(planned.root, ...entryOf(spec));
    if (ports.length && !existsSync(main)) throw new Error(`services/${serviceFolderOf(spec)} is not built (${main} missing): run npx tsc -b`);
  }
  await assertPortFree(planned.gatewayHost, planned.gatewayPort, 'the gateway', 'set GATEWAY_PORT');
  for (const { spec, ports } of planned.units) {
    for (const [i, port] of ports.entries()) await assertPortFree('0.0.0.0', port, `${spec.name}-${i + 1}`, 'set FLEET_PORT_OFFSET');
  }
  if (chroma.startPort !== undefined) await assertPortFree('127.0.0.1', chroma.startPort, 'chroma', 'set FLEET_PORT_OFFSET or CHROMA_URL');

  const healthTimeoutMs = options.healthTimeoutMs ?? 30_000;
  const watch: ExitWatcher = (name, child) => {
    void child.waitForExit().then((code) => {
      if (!child.stopRequested) options.onUnexpectedExit?.(name, code);
    });
  };
  const instances = planned.units.flatMap(({ spec, ports }) => ports.map((_, i) => createInstance(planned, spec, i, healthTimeoutMs, watch)));
  let nginx: ManagedChild | undefined;
  let chromaServer: ManagedChild | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await nginx?.stop();
      await Promise.all(instances.map((instance) => instance.stop()));
      await chromaServer?.stop();
      forgetChildren(pidFile);
    })());

  try {
    if (chroma.startPort !== undefined) {
      const dataDir = path.join(planned.runDir, 'chroma', options.database ?? 'fleet');
      chromaServer = (await startLocalChroma({ root: planned.root, dataDir, logDir: planned.logDir, port: chroma.startPort })).child;
      watch('chroma', chromaServer);
      log(`chroma on ${chroma.url} (data in ${dataDir})`);
    }
    await runMigrations(planned, log);
    const started = Date.now();
    await Promise.all(instances.map((instance) => instance.start()));
    log(`${instances.length} instance(s) healthy in ${Date.now() - started} ms`);
    const nginxConfigFile = writeNginxConfig(planned, instances, options.keycloakUpstream);
    nginx = await startNginx(planned, nginxConfigFile, watch);
    recordChildren(pidFile, [nginx.pid, chromaServer?.pid, ...instances.map((instance) => instance.pid)]);
    return { gatewayUrl: `http://${planned.gatewayHost}:${planned.gatewayPort}`, instances, logDir: planned.logDir, nginxConfigFile, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

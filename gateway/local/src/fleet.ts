import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startLocalChroma } from './chroma';
import { ManagedChild } from './child-process';
import { createInstance, FleetInstance } from './fleet-instance';
import { chromaPlan, FleetOptions, identityPlan, planFleet, REPO_ROOT, serviceDatabaseUrl } from './fleet-plan';
import { startNginx, writeNginxConfig } from './gateway-nginx';
import { ExitWatcher } from './http-ready';
import { localProvisionerEnv, startLocalIdentity } from './identity';
import { forgetChildren, recordChildren, stopLeftovers } from './leftovers';
import { runMigrations } from './migrations';
import { assertPortFree } from './ports';
import { DEFAULT_RESTART_POLICY, Supervisor } from './supervisor';
import { entryOf, serviceFolderOf } from './services';

export * from './fleet-plan';
export type { FleetInstance } from './fleet-instance';

export interface Fleet {
  gatewayUrl: string;
  instances: FleetInstance[];
  logDir: string;
  nginxConfigFile: string;
  /** Where the gateway sends /keycloak (`host:port`), if anywhere. */
  keycloakUpstream?: string;
  /** With `supervise`: what restarts crashed instances (and how often it did). */
  supervisor?: Supervisor;
  /** The ChromaDB server this launcher started (absent with CHROMA_URL): for fault drills. */
  chroma?: LocalChromaServer;
  /** The environment an instance of `service` (a services-table name) runs with: for its CLIs (rebuild-index). */
  serviceEnv(service: string): NodeJS.ProcessEnv;
  /** Stops nginx, then every instance; resolves when all are gone. Safe to call twice. */
  stop(): Promise<void>;
}

/** The launcher's own ChromaDB server. */
export interface LocalChromaServer {
  url: string;
  readonly pid: number | undefined;
  /** SIGKILL, as a crash would (the launcher does not restart it by itself). */
  kill(): void;
  /** Starts it again on the same port and data folder; resolves when its heartbeat answers. */
  restart(): Promise<void>;
}

/**
 * Starts the local fleet: migrations, every instance of every service (waiting for /health), then
 * nginx in front with the top-level nginx.conf rendered for these ports. On any failure, whatever
 * was started is stopped again before the error is thrown.
 */
export async function startFleet(fleetOptions: FleetOptions): Promise<Fleet> {
  const log = fleetOptions.log ?? (() => undefined);
  const chroma = await chromaPlan(fleetOptions);
  const identity = await identityPlan(fleetOptions);
  const options: FleetOptions = { ...fleetOptions, chromaUrl: chroma.url, keycloakUpstream: identity.upstream };
  // Against the local provider the services provision robot and drone clients with the realm file's service account.
  if (identity.startPort !== undefined) options.env = { ...localProvisionerEnv(fleetOptions.root ?? REPO_ROOT), ...fleetOptions.env };
  const planned = planFleet(options);
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
  if (identity.startPort !== undefined) await assertPortFree('0.0.0.0', identity.startPort, 'identity', 'set FLEET_PORT_OFFSET or KEYCLOAK_UPSTREAM');

  const healthTimeoutMs = options.healthTimeoutMs ?? 30_000;
  const supervisor = options.supervise
    ? new Supervisor((event) => options.onSupervisorEvent?.(event), options.supervise === true ? DEFAULT_RESTART_POLICY : options.supervise)
    : undefined;
  const watch: ExitWatcher = (name, child) => {
    void child.waitForExit().then((code) => {
      if (child.stopRequested) return;
      const instance = instances.find((candidate) => candidate.instanceId === name);
      if (supervisor && instance) supervisor.crashed(instance, code);
      else options.onUnexpectedExit?.(name, code);
    });
  };
  const instances = planned.units.flatMap(({ spec, ports }) => ports.map((_, i) => createInstance(planned, spec, i, healthTimeoutMs, watch)));
  let nginx: ManagedChild | undefined;
  let chromaServer: ManagedChild | undefined;
  let identityServer: ManagedChild | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      supervisor?.stop();
      await nginx?.stop();
      await Promise.all(instances.map((instance) => instance.stop()));
      await Promise.all([chromaServer?.stop(), identityServer?.stop()]);
      forgetChildren(pidFile);
    })());

  try {
    const chromaDataDir = path.join(planned.runDir, 'chroma', options.database ?? 'fleet');
    const startChroma = async (port: number) => {
      chromaServer = (await startLocalChroma({ root: planned.root, dataDir: chromaDataDir, logDir: planned.logDir, port })).child;
      watch('chroma', chromaServer);
    };
    if (chroma.startPort !== undefined) {
      await startChroma(chroma.startPort);
      log(`chroma on ${chroma.url} (data in ${chromaDataDir})`);
    }
    if (identity.startPort !== undefined) {
      identityServer = await startLocalIdentity({
        root: planned.root,
        logDir: planned.logDir,
        port: identity.startPort,
        databaseUrl: serviceDatabaseUrl(planned.databaseAdminUrl, 'identity', planned.database),
        databaseAdminUrl: planned.databaseAdminUrl,
        publicUrl: `http://${planned.gatewayHost}:${planned.gatewayPort}`,
      });
      watch('identity', identityServer);
      log(`identity provider on 127.0.0.1:${identity.startPort} (/keycloak, realm fleet from gateway/keycloak/fleet-realm.json)`);
    }
    await runMigrations(planned, log);
    const started = Date.now();
    await Promise.all(instances.map((instance) => instance.start()));
    log(`${instances.length} instance(s) healthy in ${Date.now() - started} ms`);
    const nginxConfigFile = writeNginxConfig(planned, instances, options.keycloakUpstream);
    nginx = await startNginx(planned, nginxConfigFile, watch);
    recordChildren(pidFile, [nginx.pid, chromaServer?.pid, identityServer?.pid, ...instances.map((instance) => instance.pid)]);
    const chromaControl: LocalChromaServer | undefined =
      chroma.startPort !== undefined
        ? {
            url: chroma.url!,
            get pid() {
              return chromaServer?.pid;
            },
            kill: () => chromaServer?.child.kill('SIGKILL'),
            restart: async () => {
              if (chromaServer?.running) await chromaServer.stop();
              await startChroma(chroma.startPort!);
            },
          }
        : undefined;
    const serviceEnv = (service: string) => {
      const unit = planned.units.find(({ spec }) => spec.name === service);
      if (!unit) throw new Error(`no service ${service} in this fleet`);
      return planned.serviceEnv(unit.spec);
    };
    return {
      gatewayUrl: `http://${planned.gatewayHost}:${planned.gatewayPort}`,
      instances,
      logDir: planned.logDir,
      nginxConfigFile,
      keycloakUpstream: options.keycloakUpstream,
      supervisor,
      chroma: chromaControl,
      serviceEnv,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

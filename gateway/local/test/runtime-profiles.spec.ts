// The role table (runtime-profiles.ts) is the one source of each process's Node options: the
// launcher must start instances with it and compose.yml must say the same.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createInstance, FleetInstance } from '../src/fleet-instance';
import { FleetPlan } from '../src/fleet-plan';
import { freePort } from '../src/ports';
import { PROCESS_ROLES, RUNTIME_PROFILES, runtimeProfileOf } from '../src/runtime-profiles';
import { FLEET_SERVICES, FleetServiceSpec } from '../src/services';

const ROOT = path.resolve(__dirname, '../../../..');

interface ComposeService {
  build?: { dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync(path.join(ROOT, 'compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
/** The fleet's own long-running processes: built from the services' Dockerfile, not a one-shot migration. */
const fleetProcesses = Object.entries(compose.services).filter(
  ([, s]) => s.build && (s.build.dockerfile ?? 'Dockerfile') === 'Dockerfile' && !(s.command ?? []).some((part) => part.endsWith('/migrate.js')),
);
/** Every variable some profile sets: a role without it must not set it in compose either. */
const profileVariables = [...new Set(Object.values(RUNTIME_PROFILES).flatMap((profile) => Object.keys(profile.env)))];

describe('runtime profiles', () => {
  it('give every process group the launcher starts a role', () => {
    assert.deepEqual(
      FLEET_SERVICES.map((spec) => spec.name).filter((name) => !runtimeProfileOf(name)),
      [],
    );
  });

  it('are what compose.yml sets for each service: NODE_OPTIONS and the C runtime env', () => {
    assert.ok(fleetProcesses.length >= 8, 'compose lists the fleet services');
    for (const [name, service] of fleetProcesses) {
      const profile = runtimeProfileOf(name);
      assert.ok(profile, `${name} has no role in PROCESS_ROLES`);
      const env = service.environment ?? {};
      assert.equal(env.NODE_OPTIONS, profile.nodeOptions.join(' '), `${name} (${PROCESS_ROLES[name]}): NODE_OPTIONS`);
      for (const variable of profileVariables) {
        assert.equal(env[variable], profile.env[variable], `${name} (${PROCESS_ROLES[name]}): ${variable}`);
      }
    }
  });
});

describe('an instance the launcher starts', () => {
  let root: string;
  const started: FleetInstance[] = [];

  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'runtime-profiles-'));
    mkdirSync(path.join(root, 'logs'));
    // Stands in for a service's main.js: healthy at once, and tells how it was started.
    const main = `require('node:http').createServer((req, res) => res.end(JSON.stringify({ execArgv: process.execArgv, arenas: process.env.MALLOC_ARENA_MAX ?? null }))).listen(Number(process.env.PORT), '127.0.0.1');`;
    for (const service of ['base', 'face']) {
      mkdirSync(path.join(root, 'services', service, 'dist', 'src'), { recursive: true });
      writeFileSync(path.join(root, 'services', service, 'dist', 'src', 'main.js'), main);
    }
  });

  after(async () => {
    await Promise.all(started.map((instance) => instance.stop()));
    rmSync(root, { recursive: true, force: true });
  });

  async function start(spec: FleetServiceSpec, env: NodeJS.ProcessEnv): Promise<{ execArgv: string[]; arenas: string | null }> {
    const port = await freePort();
    const plan: FleetPlan = {
      root,
      gatewayHost: '127.0.0.1',
      gatewayPort: 0,
      runDir: root,
      logDir: path.join(root, 'logs'),
      units: [{ spec, ports: [port] }],
      database: 'unused',
      databaseAdminUrl: 'unused',
      serviceEnv: () => ({ PATH: process.env.PATH, ...env }),
    };
    const instance = createInstance(plan, spec, 0, 20_000, () => undefined);
    started.push(instance);
    await instance.start();
    return (await fetch(instance.url)).json() as Promise<{ execArgv: string[]; arenas: string | null }>;
  }

  it("runs with its role's Node options", async () => {
    const seen = await start({ name: 'base', publicPath: '/base_api', instances: 1, firstPort: 0 }, {});
    assert.deepEqual(seen.execArgv, [...RUNTIME_PROFILES.http.nodeOptions]);
    assert.equal(seen.arenas, null, 'an HTTP instance keeps glibc defaults');
  });

  it("gets its role's C runtime env, which the caller's env overrides", async () => {
    const spec: FleetServiceSpec = { name: 'face', publicPath: null, instances: 1, firstPort: 0 };
    assert.equal((await start(spec, {})).arenas, RUNTIME_PROFILES['model-worker'].env.MALLOC_ARENA_MAX);
    assert.equal((await start(spec, { MALLOC_ARENA_MAX: '4' })).arenas, '4');
  });
});

/**
 * The e2e harness: one real fleet per test file (migrations, every service instance, nginx in
 * front), started with the same launcher as `npm start`, on free ports, a fresh database, its own
 * RabbitMQ vhost and its own redis-server, so it never collides with a dev fleet that is already
 * running, nor with the fleets of other test files running at the same time (ports are claimed
 * per process, see freePort). Tests talk to `gatewayUrl` only.
 *
 *   import { after, before, test } from 'node:test';
 *   import { startTestFleet, TestFleet } from '../src';
 *
 *   let fleet: TestFleet;
 *   before(async () => { fleet = await startTestFleet(); });
 *   after(() => fleet.stop());
 *
 *   test('an operator reads a room', async () => {
 *     const token = await fleet.token('operator');
 *     const res = await fleet.request('/base_api/rooms/lobby/messages', { headers: { authorization: `Bearer ${token}` } });
 *   });
 *
 * Postgres, Redis and RabbitMQ are the machine's (env overrides as for `npm start`); the fleet's
 * database is `fleet_e2e_<random>`, its vhost `fleet_e2e_<random>` (unless `env.RABBITMQ_URL` is
 * given), its Redis a redis-server of its own (unless `env.REDIS_URL` is given or redis-server is
 * not installed); stop() drops and stops them. Logs stay in logs/e2e/<file>-<pid>/.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestRealm, signTestToken, TestRealm, TestTokenOptions } from '@fleet/testing';
import { Fleet, FLEET_SERVICES, fleetOptionsFromEnv, freePort, REPO_ROOT, startFleet, SupervisorEvent } from '@fleet/local-fleet';
import { createFleetVhost, PrivateRedis, startPrivateRedis } from './private-servers';

export type FleetRole = 'operator' | 'admin' | 'robot' | 'drone';

export interface TestFleetOptions {
  /** Instance count per service (default: the services table, e.g. base ×2). */
  instances?: Record<string, number>;
  /** Extra environment for every service instance. */
  env?: Record<string, string>;
  /** Service log level (default debug, so request ids show up in more lines). */
  logLevel?: string;
  /** Only these entries of the services table (default: all), e.g. a benchmark of one service. */
  only?: string[];
  /**
   * Run the local identity provider at /keycloak (as `npm start` does) and have the services trust
   * it, instead of a throwaway key: for tests that sign in through the real login page (the
   * console's browser tests). Tokens then come from the provider: `token('operator' | 'admin')`
   * signs in the realm's users, `clientToken` a client's credentials.
   */
  identity?: boolean;
  /** Restart instances that die, as `npm start` does (the chaos run kills them on purpose). */
  supervise?: boolean;
  /** Each restart step of the supervisor. */
  onSupervisorEvent?: (event: SupervisorEvent) => void;
}

/** The realm users `token()` signs in as when the fleet runs its identity provider (gateway/keycloak/fleet-realm.json). */
export const REALM_USERS: Record<'operator' | 'admin', { username: string; password: string }> = {
  operator: { username: 'operator', password: 'operator-dev-password-DEV-ONLY' },
  admin: { username: 'admin', password: 'admin-dev-password-DEV-ONLY' },
};

export interface TestFleet {
  /** `http://127.0.0.1:<free port>`: the gateway, the only door tests should use. */
  gatewayUrl: string;
  /** RTMP ingest port of the video service (a free port per fleet, passed as RTMP_PORT). */
  rtmpPort: number;
  /** The launcher's handle: instances (with stop()/start()), logDir. */
  fleet: Fleet;
  /** The fleet's database as the Postgres superuser (every service's schema is in it). */
  databaseUrl: string;
  /** The fleet's RabbitMQ vhost, unless `env.RABBITMQ_URL` was given. */
  vhost?: string;
  /** The fleet's own redis-server, unless `env.REDIS_URL` was given (restart() for fault drills). */
  redis?: PrivateRedis;
  /** The throwaway realm key the services trust; sign custom tokens with `signTestToken(realm, …)`. */
  realm: TestRealm;
  /** `fetch(gatewayUrl + path, init)`. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /**
   * A valid bearer token for `role` (subject defaults to `<role>-e2e`). With `identity: true`, a
   * real one from the provider: the realm's operator or admin user (robot and drone tokens come
   * from their clients: `clientToken`).
   */
  token(role: FleetRole, sub?: string, options?: TestTokenOptions): Promise<string>;
  /** With `identity: true`: a client-credentials token of a client (a robot's or drone's). */
  clientToken(clientId: string, secret: string): Promise<string>;
  /** Parsed JSON lines an instance has logged so far (`base-1`, …); non-JSON lines as `{ raw }`. */
  logLines(instanceId: string): Array<Record<string, unknown>>;
  /** Parsed lines of nginx's JSON access log. */
  accessLog(): Array<Record<string, unknown>>;
  /**
   * The access log lines matching `match`, once at least `atLeast` of them are there: nginx writes
   * a request's line after it has answered, so a client may read the log before the line exists.
   */
  accessLogLines(match: (entry: Record<string, unknown>) => boolean, atLeast?: number): Promise<Array<Record<string, unknown>>>;
  /** Stops nginx and every instance, drops the database. */
  stop(): Promise<void>;
}

/** How long a test waits for nginx to write the access log line of a request it has answered. */
const ACCESS_LOG_WAIT_MS = 5000;

function readJsonLines(file: string): Array<Record<string, unknown>> {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { raw: line };
      }
    });
}

function databaseUrlOf(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
  } finally {
    await admin.end();
  }
}

/**
 * One port per instance that will run: freePort() claims each one for this test process, so test
 * files that start fleets at the same time never get the same port.
 */
async function freePorts(options: TestFleetOptions): Promise<{ gatewayPort: number; ports: Record<string, number[]> }> {
  const gatewayPort = await freePort();
  const ports: Record<string, number[]> = {};
  for (const spec of FLEET_SERVICES) {
    const count = options.only && !options.only.includes(spec.name) ? 0 : (options.instances?.[spec.name] ?? spec.instances);
    ports[spec.name] = await Promise.all(Array.from({ length: count }, () => freePort()));
  }
  return { gatewayPort, ports };
}

/** A token from the fleet's identity provider, through the gateway as any client gets one. */
async function providerToken(gatewayUrl: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(`${gatewayUrl}/keycloak/realms/fleet/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (!response.ok || !body.access_token) throw new Error(`token (${form.grant_type}, ${form.client_id}): ${response.status} ${body.error_description ?? JSON.stringify(body)}`);
  return body.access_token;
}

export async function startTestFleet(options: TestFleetOptions = {}): Promise<TestFleet> {
  const fromEnv = fleetOptionsFromEnv();
  const adminUrl = fromEnv.databaseAdminUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `fleet_e2e_${randomBytes(4).toString('hex')}`;
  const { gatewayPort, ports } = await freePorts(options);
  const rtmpPort = await freePort();
  const keycloakUrl = `http://127.0.0.1:${gatewayPort}/keycloak`;
  const realm = createTestRealm(keycloakUrl, fromEnv.keycloakRealm ?? 'fleet', fromEnv.keycloakClientId ?? 'fleet-api');
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'fleet-e2e-'));
  const testFile = path.basename(process.argv[1] ?? 'e2e', '.js').replace(/\.e2e-spec$/, '');
  const logDir = path.join(REPO_ROOT, 'logs', 'e2e', `${testFile}-${process.pid}`);
  const [vhost, redis] = await Promise.all([
    options.env?.RABBITMQ_URL ? undefined : createFleetVhost(),
    options.env?.REDIS_URL ? undefined : startPrivateRedis(),
  ]);
  const releasePrivateServers = async (): Promise<void> => {
    await Promise.all([vhost?.drop(), redis?.stop()]);
  };

  let fleet: Fleet;
  try {
    fleet = await startFleet({
      ...fromEnv,
      rabbitmqUrl: vhost?.url ?? fromEnv.rabbitmqUrl,
      redisUrl: redis?.url ?? fromEnv.redisUrl,
      realmPublicKey: options.identity ? undefined : realm.publicKeyBase64,
      gatewayPort,
      ports,
      instances: options.instances,
      // Generous: a CI box with 2 cores boots a dozen Nest processes at once.
      healthTimeoutMs: 120_000,
      services: options.only ? FLEET_SERVICES.filter((spec) => options.only!.includes(spec.name)) : undefined,
      database,
      keycloakUrl,
      keycloakUpstream: undefined,
      runDir,
      logDir,
      logLevel: options.logLevel ?? 'debug',
      env: { RTMP_PORT: String(rtmpPort), ...options.env },
      supervise: options.supervise,
      onSupervisorEvent: options.onSupervisorEvent,
    });
  } catch (error) {
    rmSync(runDir, { recursive: true, force: true });
    await dropDatabase(adminUrl, database).catch(() => undefined);
    await releasePrivateServers().catch(() => undefined);
    throw error;
  }

  const instanceLog = (instanceId: string) => {
    const instance = fleet.instances.find((i) => i.instanceId === instanceId);
    if (!instance) throw new Error(`no instance ${instanceId}; have ${fleet.instances.map((i) => i.instanceId).join(', ')}`);
    return instance.logFile;
  };
  let stopped: Promise<void> | undefined;
  return {
    gatewayUrl: fleet.gatewayUrl,
    rtmpPort,
    fleet,
    databaseUrl: databaseUrlOf(adminUrl, database),
    vhost: vhost?.name,
    redis,
    realm,
    request: (urlPath, init) => fetch(`${fleet.gatewayUrl}${urlPath}`, init),
    token: (role, sub, tokenOptions) => {
      if (options.identity) {
        if (role !== 'operator' && role !== 'admin') throw new Error(`with identity: true, a ${role} token comes from its client: clientToken(clientId, secret)`);
        return providerToken(fleet.gatewayUrl, { grant_type: 'password', client_id: 'fleet-cli', ...REALM_USERS[role] });
      }
      const subject = sub ?? `${role}-e2e`;
      // A robot or drone authenticates as its own Keycloak client: subject and azp name it alike.
      const client = role === 'robot' || role === 'drone' ? { azp: subject } : {};
      return signTestToken(realm, { sub: subject, roles: [role], ...tokenOptions, extraClaims: { ...client, ...tokenOptions?.extraClaims } });
    },
    clientToken: (clientId, secret) => providerToken(fleet.gatewayUrl, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
    logLines: (instanceId) => readJsonLines(instanceLog(instanceId)),
    accessLog: () => readJsonLines(path.join(logDir, 'nginx-access.log')),
    accessLogLines: async (match, atLeast = 1) => {
      const deadline = Date.now() + ACCESS_LOG_WAIT_MS;
      for (;;) {
        const lines = readJsonLines(path.join(logDir, 'nginx-access.log')).filter(match);
        if (lines.length >= atLeast || Date.now() > deadline) return lines;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop: () =>
      (stopped ??= (async () => {
        await fleet.stop();
        rmSync(runDir, { recursive: true, force: true });
        await releasePrivateServers();
        await dropDatabase(adminUrl, database);
      })()),
  };
}

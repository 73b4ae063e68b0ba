import path from 'node:path';
import { CHROMA_SERVICES, DEFAULT_CHROMA_PORT } from './chroma';
import { DEFAULT_IDENTITY_PORT } from './identity';
import { freePort } from './ports';
import { FLEET_SERVICES, FleetServiceSpec, serviceFolderOf } from './services';
import type { RestartPolicy, SupervisorEvent } from './supervisor';

export interface FleetOptions {
  /**
   * Base64 SPKI DER of an RSA key the services trust as the realm key (tests that mint their own
   * tokens, or a real Keycloak's key). Absent, the services fetch the realm's JWKS from
   * `<keycloakUrl>/realms/<realm>/protocol/openid-connect/certs`, as against Keycloak, and the
   * launcher runs the local identity provider behind /keycloak unless `keycloakUpstream` names one.
   */
  realmPublicKey?: string;
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
  /** `host:port` of a Keycloak to route `/keycloak` to; by default the local identity provider (none when `realmPublicKey` is given: 502). */
  keycloakUpstream?: string;
  /** Port of the local identity provider; default 3071 + portOffset, or a free port when `ports` are given (tests). */
  identityPort?: number;
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
  /**
   * Restart service instances that exit on their own (`true`: the default policy, 1 s doubling to
   * 30 s, giving up after 5 crashes within a minute). Off by default: tests kill instances on purpose.
   */
  supervise?: boolean | RestartPolicy;
  /** Each restart step of the supervisor (crashed, restarted, gave up). */
  onSupervisorEvent?: (event: SupervisorEvent) => void;
}

export const DEFAULT_GATEWAY_PORT = 8080;
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** Where everything goes, and each service's environment: what the launcher derives from its options. */
export interface FleetPlan {
  root: string;
  gatewayHost: string;
  gatewayPort: number;
  runDir: string;
  logDir: string;
  units: Array<{ spec: FleetServiceSpec; ports: number[] }>;
  database: string;
  databaseAdminUrl: string;
  serviceEnv: (spec: FleetServiceSpec) => NodeJS.ProcessEnv;
}

export function serviceDatabaseUrl(adminUrl: string, service: string, database: string): string {
  const url = new URL(adminUrl);
  url.username = `svc_${service}`;
  url.password = `svc_${service}`;
  url.pathname = `/${database}`;
  return url.toString();
}

export function planFleet(options: FleetOptions): FleetPlan {
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
    // Unset, keycloak-connect fetches the realm's JWKS (and again on a key id it has not seen).
    KEYCLOAK_REALM_PUBLIC_KEY: options.realmPublicKey ?? '',
    // The gateway refuses /keycloak/admin: robot and drone clients are provisioned on the provider's own address.
    ...(options.keycloakUpstream ? { KEYCLOAK_PROVISIONER_URL: inherited.KEYCLOAK_PROVISIONER_URL ?? `http://${options.keycloakUpstream}/keycloak` } : {}),
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
    database,
    databaseAdminUrl: adminUrl,
    serviceEnv,
  };
}

/**
 * Where the services find ChromaDB: the given CHROMA_URL, or a local server the launcher starts
 * (`startPort`) when some service that needs one runs.
 */
export async function chromaPlan(options: FleetOptions): Promise<{ url?: string; startPort?: number }> {
  if (options.chromaUrl) return { url: options.chromaUrl };
  const needed = (options.services ?? FLEET_SERVICES).some(
    (spec) => CHROMA_SERVICES.includes(serviceFolderOf(spec)) && (options.instances?.[spec.name] ?? spec.instances) > 0,
  );
  if (!needed) return {};
  const port = options.chromaPort ?? (options.ports ? await freePort() : DEFAULT_CHROMA_PORT + (options.portOffset ?? 0));
  return { url: `http://127.0.0.1:${port}`, startPort: port };
}

/**
 * Where /keycloak goes: the given upstream, else the local identity provider (`startPort`) unless
 * the services were told to trust a fixed key instead (then nothing: /keycloak answers 502).
 */
export async function identityPlan(options: FleetOptions): Promise<{ upstream?: string; startPort?: number }> {
  if (options.keycloakUpstream) return { upstream: options.keycloakUpstream };
  if (options.realmPublicKey) return {};
  const port = options.identityPort ?? (options.ports ? await freePort() : DEFAULT_IDENTITY_PORT + (options.portOffset ?? 0));
  return { upstream: `127.0.0.1:${port}`, startPort: port };
}

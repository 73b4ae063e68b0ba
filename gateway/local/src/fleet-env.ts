import { DEFAULT_GATEWAY_PORT, FleetOptions } from './fleet';

export type EnvFleetOptions = Omit<FleetOptions, 'realmPublicKey'>;

function portFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${name} must be a TCP port, got "${value}"`);
  return port;
}

function integerFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 60000) throw new Error(`${name} must be a whole number, got "${value}"`);
  return number;
}

/**
 * The launcher's settings from the environment (and so from `.env`, which tools/start.mjs
 * loads). Every variable is optional; see .env.example.
 */
export function fleetOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): EnvFleetOptions {
  const blankToUndefined = (name: string) => (env[name] === '' ? undefined : env[name]);
  return {
    gatewayPort: portFrom(env.GATEWAY_PORT, 'GATEWAY_PORT') ?? DEFAULT_GATEWAY_PORT,
    databaseAdminUrl: blankToUndefined('DATABASE_ADMIN_URL'),
    database: blankToUndefined('FLEET_DATABASE'),
    redisUrl: blankToUndefined('REDIS_URL'),
    rabbitmqUrl: blankToUndefined('RABBITMQ_URL'),
    keycloakUrl: blankToUndefined('KEYCLOAK_URL'),
    keycloakRealm: blankToUndefined('KEYCLOAK_REALM'),
    keycloakClientId: blankToUndefined('KEYCLOAK_CLIENT_ID'),
    keycloakUpstream: blankToUndefined('KEYCLOAK_UPSTREAM'),
    chromaUrl: blankToUndefined('CHROMA_URL'),
    logLevel: blankToUndefined('LOG_LEVEL'),
    logDir: blankToUndefined('FLEET_LOG_DIR'),
    portOffset: integerFrom(env.FLEET_PORT_OFFSET, 'FLEET_PORT_OFFSET') ?? 0,
  };
}

import { CommonEnv } from './common-env';

/** The nested, typed view of {@link CommonEnv} that code reads (`config.db.url`), never `process.env`. */
export interface FleetConfig {
  serviceName: string;
  instanceId: string;
  environment: CommonEnv['NODE_ENV'];
  http: { port: number };
  log: { level: string; dir?: string };
  db: { url: string };
  redis: { url: string };
  rmq: { url: string; prefetch: number; eventPrefetch: number; maxDeliveries: number; deadlineMs: number };
  auth: {
    keycloakUrl: string;
    realm: string;
    clientId: string;
    realmPublicKey?: string;
    /**
     * The Admin REST API service account, when robots and drones are provisioned, and where it
     * reaches that API (the provider's own address; unset: keycloakUrl).
     */
    provisioner?: { clientId: string; secret: string; url?: string };
  };
}

export function toFleetConfig(serviceName: string, env: CommonEnv): FleetConfig {
  return {
    serviceName,
    instanceId: env.INSTANCE_ID,
    environment: env.NODE_ENV,
    http: { port: env.PORT },
    log: { level: env.LOG_LEVEL, dir: env.LOG_DIR },
    db: { url: env.DATABASE_URL },
    redis: { url: env.REDIS_URL },
    rmq: {
      url: env.RABBITMQ_URL,
      prefetch: env.RMQ_PREFETCH,
      eventPrefetch: env.RMQ_EVENT_PREFETCH ?? env.RMQ_PREFETCH,
      maxDeliveries: env.RMQ_MAX_DELIVERIES,
      deadlineMs: env.RPC_DEADLINE_MS,
    },
    auth: {
      keycloakUrl: env.KEYCLOAK_URL,
      realm: env.KEYCLOAK_REALM,
      clientId: env.KEYCLOAK_CLIENT_ID,
      realmPublicKey: env.KEYCLOAK_REALM_PUBLIC_KEY,
      provisioner:
        env.KEYCLOAK_PROVISIONER_CLIENT_ID && env.KEYCLOAK_PROVISIONER_SECRET
          ? { clientId: env.KEYCLOAK_PROVISIONER_CLIENT_ID, secret: env.KEYCLOAK_PROVISIONER_SECRET, url: env.KEYCLOAK_PROVISIONER_URL }
          : undefined,
    },
  };
}

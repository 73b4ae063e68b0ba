import type { IIoK8sApiCoreV1EnvVar } from 'kubernetes-models/v1/EnvVar';

/**
 * Every Secret the manifests read, and their keys. The manifests never carry a secret value:
 * containers read them through `secretKeyRef`, and URLs that embed a password take it from such a
 * variable with Kubernetes' `$(VAR)` expansion. Secrets marked `createdBy: 'you'` are created
 * once per cluster (README, Kubernetes: `kubectl create secret`); the others are written by an
 * operator.
 */
export interface SecretSpec {
  name: string;
  keys: readonly string[];
  /** Keys a container may do without (features that stay off when unset). */
  optionalKeys?: readonly string[];
  type: 'Opaque' | 'kubernetes.io/basic-auth';
  createdBy: 'you' | 'rabbitmq-operator';
  purpose: string;
}

export const SECRETS = {
  fleet: {
    name: 'fleet-secrets',
    // The names compose's .env uses for the same values.
    keys: [
      'BASE_DB_PASSWORD', 'STORE_DB_PASSWORD', 'FACE_DB_PASSWORD', 'VIDEO_DB_PASSWORD', 'TRANSLATOR_DB_PASSWORD', 'VISION_DB_PASSWORD',
      'BOARDING_SIGNING_KEY', 'KEYCLOAK_PROVISIONER_SECRET', 'FLEET_OPERATOR_PASSWORD', 'FLEET_ADMIN_PASSWORD',
    ],
    // The S3 pair only with FLEET_S3_BUCKET, and not even then where the pods have a workload identity.
    optionalKeys: ['STORE_EXPORT_WEBHOOK_SECRET', 'OPENAI_API_KEY', 'LIBRETRANSLATE_API_KEY', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'],
    type: 'Opaque',
    createdBy: 'you',
    purpose: "the services' database roles, boarding signatures, the provisioner client, the first operator and admin passwords",
  },
  postgresSuperuser: {
    name: 'fleet-postgres-superuser',
    keys: ['username', 'password'],
    type: 'kubernetes.io/basic-auth',
    createdBy: 'you',
    purpose: 'CloudNativePG superuser `postgres` (username must be postgres); only the migration Jobs use it',
  },
  keycloakDatabase: {
    name: 'fleet-keycloak-db',
    keys: ['username', 'password'],
    type: 'kubernetes.io/basic-auth',
    createdBy: 'you',
    purpose: "Keycloak's own Postgres role (username must be keycloak)",
  },
  keycloakAdmin: {
    name: 'fleet-keycloak-admin',
    keys: ['username', 'password'],
    type: 'kubernetes.io/basic-auth',
    createdBy: 'you',
    purpose: "Keycloak's bootstrap administrator of the master realm",
  },
  rabbitmq: {
    name: 'fleet-rabbitmq-default-user',
    keys: ['username', 'password'],
    type: 'Opaque',
    createdBy: 'rabbitmq-operator',
    purpose: 'the broker user the RabbitMQ Cluster Operator generates for fleet-rabbitmq',
  },
} as const satisfies Record<string, SecretSpec>;

type SecretKey<S extends SecretSpec> = S['keys'][number] | NonNullable<S['optionalKeys']>[number];

/** `name` read from a key of one of the Secrets above; optional keys may be absent. */
export function secretEnv<S extends SecretSpec>(name: string, secret: S, key: SecretKey<S>): IIoK8sApiCoreV1EnvVar {
  const optional = (secret.optionalKeys as readonly string[] | undefined)?.includes(key) ?? false;
  return { name, valueFrom: { secretKeyRef: { name: secret.name, key, ...(optional ? { optional: true } : {}) } } };
}

/** A key of fleet-secrets read into the variable of the same name. */
export function fleetSecret(key: SecretKey<typeof SECRETS.fleet>): IIoK8sApiCoreV1EnvVar {
  return secretEnv(key, SECRETS.fleet, key);
}

/** The `kubectl create secret` lines for the Secrets you create (README, Kubernetes). */
export function secretCommands(namespace: string): string[] {
  return Object.values(SECRETS as Record<string, SecretSpec>)
    .filter((secret) => secret.createdBy === 'you')
    .map((secret) => {
      const kind = secret.type === 'kubernetes.io/basic-auth' ? 'generic --type=kubernetes.io/basic-auth' : 'generic';
      const literals = secret.keys.map((key) => `--from-literal=${key}=…`).join(' ');
      return `kubectl -n ${namespace} create secret ${kind} ${secret.name} ${literals}   # ${secret.purpose}`;
    });
}

import { CustomResource } from '../k8s/custom-resource.js';
import { labelsOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { CnpgClusterSpec, CnpgDatabaseSpec } from '../crds/cloudnative-pg.js';
import { STATE_SIZING } from '../fleet/resources.js';
import { SECRETS } from '../security/secrets.js';
import type { DeploySettings } from '../settings.js';
import { POSTGRES_CLUSTER } from './names.js';

/** Labels CloudNativePG puts on the cluster's pods (NetworkPolicies select them). */
export const POSTGRES_POD_LABELS = { 'cnpg.io/cluster': POSTGRES_CLUSTER };

/**
 * Postgres through CloudNativePG: one primary and two streaming replicas with automated
 * failover; the services reach the primary at `fleet-db-rw`. As today, one database `fleet` with
 * one schema and one role per service, which each service's migration Job provisions as the
 * superuser; Keycloak has its own role and database, declared here.
 */
export function postgresObjects(settings: DeploySettings): KubeObject[] {
  const metadata = (name: string) => ({ name, namespace: settings.namespace, labels: labelsOf(name) });
  const spec: CnpgClusterSpec = {
    instances: 3,
    // The major version compose and the tests run.
    imageName: 'ghcr.io/cloudnative-pg/postgresql:15',
    enableSuperuserAccess: true,
    superuserSecret: { name: SECRETS.postgresSuperuser.name },
    bootstrap: { initdb: { database: 'fleet', owner: 'fleet' } },
    storage: { size: '100Gi' },
    resources: STATE_SIZING.postgres,
    affinity: { enablePodAntiAffinity: true, topologyKey: 'kubernetes.io/hostname', podAntiAffinityType: 'preferred' },
    // Each instance of each service keeps a pool (TypeORM's default 10): room for ~40 pods plus
    // Keycloak; past that, put CloudNativePG's Pooler (PgBouncer) in front.
    postgresql: { parameters: { max_connections: '500' } },
    managed: { roles: [{ name: 'keycloak', ensure: 'present', login: true, passwordSecret: { name: SECRETS.keycloakDatabase.name } }] },
  };
  const database: CnpgDatabaseSpec = { name: 'keycloak', owner: 'keycloak', cluster: { name: POSTGRES_CLUSTER } };
  return [
    new CustomResource('postgresql.cnpg.io/v1', 'Cluster', metadata(POSTGRES_CLUSTER), spec, (s) => [
      ...(s.instances < 3 ? ['a failover needs at least 3 instances'] : []),
      ...(s.enableSuperuserAccess ? [] : ['the migration Jobs provision roles as the superuser']),
    ]),
    new CustomResource('postgresql.cnpg.io/v1', 'Database', metadata(`${POSTGRES_CLUSTER}-keycloak`), database),
  ];
}

import type { IIoK8sApiCoreV1ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

/*
 * Minimal typed interfaces for CloudNativePG's `postgresql.cnpg.io/v1` (no typed models on npm):
 * only the fields the fleet sets, as the operator's API reference documents them (1.25+, which
 * added the Database resource). Checked against that reference, not against a cluster.
 */

interface SecretName {
  name: string;
}

export interface CnpgClusterSpec {
  instances: number;
  imageName: string;
  /** The superuser `postgres` with a password from `superuserSecret` (basic-auth: username, password). */
  enableSuperuserAccess: boolean;
  superuserSecret: SecretName;
  bootstrap: { initdb: { database: string; owner: string } };
  storage: { size: string; storageClass?: string };
  resources: IIoK8sApiCoreV1ResourceRequirements;
  affinity: { enablePodAntiAffinity: boolean; topologyKey: string; podAntiAffinityType: 'preferred' | 'required' };
  postgresql: { parameters: Record<string, string> };
  /** Roles the operator keeps as declared (here: Keycloak's; the services' are made by their migrations). */
  managed: { roles: { name: string; ensure: 'present'; login: boolean; passwordSecret: SecretName }[] };
}

export interface CnpgDatabaseSpec {
  name: string;
  owner: string;
  cluster: SecretName;
}

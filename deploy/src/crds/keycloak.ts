import type { IIoK8sApiCoreV1ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

/*
 * Minimal typed interfaces for the Keycloak operator's `k8s.keycloak.org/v2alpha1` Keycloak and
 * KeycloakRealmImport (no typed models on npm): the fields the fleet sets, from the operator's
 * guide (Keycloak 26). The operator makes the Service `<name>-service` (8080 with HTTP enabled,
 * 9000 management).
 */

interface SecretKey {
  name: string;
  key: string;
}

export interface KeycloakSpec {
  instances: number;
  db: { vendor: 'postgres'; host: string; port: number; database: string; usernameSecret: SecretKey; passwordSecret: SecretKey };
  /** TLS ends before the gateway, as in compose. */
  http: { httpEnabled: boolean; httpPort: number };
  hostname: { hostname: string };
  proxy: { headers: 'xforwarded' | 'forwarded' };
  /** The operator would otherwise make an Ingress of its own; the gateway routes /keycloak. */
  ingress: { enabled: boolean };
  bootstrapAdmin: { user: { secret: string } };
  additionalOptions: { name: string; value: string }[];
  resources: IIoK8sApiCoreV1ResourceRequirements;
}

export interface KeycloakRealmImportSpec {
  keycloakCRName: string;
  /** `${NAME}` in the realm is replaced by the Secret key's value when the import Job runs. */
  placeholders: Record<string, { secret: SecretKey }>;
  realm: Record<string, unknown>;
}

import { CustomResource } from '../k8s/custom-resource.js';
import { labelsOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { KeycloakRealmImportSpec, KeycloakSpec } from '../crds/keycloak.js';
import { STATE_SIZING } from '../fleet/resources.js';
import { SECRETS } from '../security/secrets.js';
import type { DeploySettings } from '../settings.js';
import { KEYCLOAK_NAME, POSTGRES_RW_SERVICE } from './names.js';
import { productionRealm } from './realm.js';

/** Labels the Keycloak operator puts on its pods. */
export const KEYCLOAK_POD_LABELS = { app: 'keycloak', 'app.kubernetes.io/instance': KEYCLOAK_NAME };

/**
 * Keycloak through its operator, under /keycloak at the public address as in compose (one issuer
 * for browsers, devices and services), with the realm imported once by a KeycloakRealmImport.
 */
export function keycloakObjects(settings: DeploySettings): KubeObject[] {
  const metadata = (name: string) => ({ name, namespace: settings.namespace, labels: labelsOf(name) });
  const spec: KeycloakSpec = {
    instances: 2,
    db: {
      vendor: 'postgres',
      host: POSTGRES_RW_SERVICE,
      port: 5432,
      database: 'keycloak',
      usernameSecret: { name: SECRETS.keycloakDatabase.name, key: 'username' },
      passwordSecret: { name: SECRETS.keycloakDatabase.name, key: 'password' },
    },
    http: { httpEnabled: true, httpPort: 8080 },
    hostname: { hostname: `${settings.publicUrl}/keycloak` },
    proxy: { headers: 'xforwarded' },
    ingress: { enabled: false },
    bootstrapAdmin: { user: { secret: SECRETS.keycloakAdmin.name } },
    additionalOptions: [
      { name: 'http-relative-path', value: '/keycloak' },
      { name: 'metrics-enabled', value: 'true' },
    ],
    resources: STATE_SIZING.keycloak,
  };
  const { realm, placeholders } = productionRealm();
  const realmImport: KeycloakRealmImportSpec = {
    keycloakCRName: KEYCLOAK_NAME,
    placeholders: Object.fromEntries(placeholders.map((key) => [key, { secret: { name: SECRETS.fleet.name, key } }])),
    realm,
  };
  return [
    new CustomResource('k8s.keycloak.org/v2alpha1', 'Keycloak', metadata(KEYCLOAK_NAME), spec),
    new CustomResource('k8s.keycloak.org/v2alpha1', 'KeycloakRealmImport', metadata(`${KEYCLOAK_NAME}-realm-fleet`), realmImport, (s) =>
      Object.values(s.placeholders)
        .filter((placeholder) => !(SECRETS.fleet.keys as readonly string[]).includes(placeholder.secret.key))
        .map((placeholder) => `placeholder ${placeholder.secret.key} is not a required key of ${SECRETS.fleet.name}`),
    ),
  ];
}

import { createHash } from 'node:crypto';
import { Job } from 'kubernetes-models/batch/v1/Job';
import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import { DATABASE_CLIENT_LABEL, PHASE_LABEL, labelsOf } from '../k8s/labels.js';
import { NODE_UID, RESTRICTED_CONTAINER, TMP_MOUNT, TMP_VOLUME, restrictedPodSecurity } from '../k8s/pod.js';
import type { DeploySettings } from '../settings.js';
import { migrateEnv } from './env.js';
import { commandOf, imageOf } from './images.js';
import { resourcesOf } from './resources.js';

/**
 * One Job per service: `node services/<service>/dist/src/migrate.js`, as compose's
 * `<service>-migrate` one-shots. It provisions the service's role and schema as the superuser,
 * applies what is pending under the advisory lock, and retries its first connection while
 * Postgres starts. A Job's pod template cannot change, so the name carries a hash of it: a new
 * image or setting is a new Job, an unchanged apply changes nothing. Applied and awaited before
 * the rollout (README, Kubernetes: `-l fleet.station/phase=migrate`).
 */
export function migrationJob(settings: DeploySettings, service: string): Job {
  const container: IIoK8sApiCoreV1Container = {
    name: 'migrate',
    image: imageOf(settings, service),
    imagePullPolicy: 'IfNotPresent',
    command: commandOf(service, 'src/migrate.js'),
    env: migrateEnv(settings, service),
    resources: resourcesOf('migrate'),
    securityContext: RESTRICTED_CONTAINER,
    volumeMounts: [TMP_MOUNT],
  };
  const hash = createHash('sha256').update(JSON.stringify(container)).digest('hex').slice(0, 8);
  const labels = labelsOf(`${service}-migrate`, { [PHASE_LABEL]: 'migrate' });
  return new Job({
    metadata: { name: `${service}-migrate-${hash}`, namespace: settings.namespace, labels },
    spec: {
      backoffLimit: 4,
      activeDeadlineSeconds: 1800,
      // Finished Jobs go after a day; the next apply of the same manifests creates the Job again,
      // which finds nothing pending.
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { ...labels, [DATABASE_CLIENT_LABEL]: 'true' } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurity(NODE_UID),
          containers: [container],
          volumes: [TMP_VOLUME],
        },
      },
    },
  });
}

import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Service } from 'kubernetes-models/v1/Service';
import { disruptionBudget } from '../fleet/deployments.js';
import { resourcesOf } from '../fleet/resources.js';
import { labelsOf, selectorOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import { NODE_UID, RESTRICTED_CONTAINER, TMP_MOUNT, TMP_VOLUME, restrictedPodSecurity } from '../k8s/pod.js';
import type { DeploySettings } from '../settings.js';
import { CHROMA_SERVICE } from './names.js';

const heartbeat = (periodSeconds: number, failureThreshold: number) => ({
  httpGet: { path: '/api/v2/heartbeat', port: 'http' },
  periodSeconds,
  failureThreshold,
  timeoutSeconds: 3,
});

/**
 * ChromaDB in client/server mode (face's vector index), one pod with its own volume. It is
 * single-node: the index is derived from face's Postgres tables and can be rebuilt from them
 * (README, Kubernetes: backup and restore).
 */
export function chromaObjects(settings: DeploySettings): KubeObject[] {
  return [
    new StatefulSet({
      metadata: { name: CHROMA_SERVICE, namespace: settings.namespace, labels: labelsOf(CHROMA_SERVICE) },
      spec: {
        serviceName: CHROMA_SERVICE,
        replicas: 1,
        selector: selectorOf(CHROMA_SERVICE),
        template: {
          metadata: { labels: labelsOf(CHROMA_SERVICE) },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(NODE_UID),
            containers: [
              {
                name: 'chromadb',
                // compose's tag; the server persists under /data.
                image: 'chromadb/chroma:1.0.15',
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: 8000 }],
                resources: resourcesOf('chromadb'),
                readinessProbe: heartbeat(10, 3),
                livenessProbe: heartbeat(20, 6),
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [{ name: 'data', mountPath: '/data' }, TMP_MOUNT],
              },
            ],
            volumes: [TMP_VOLUME],
          },
        },
        volumeClaimTemplates: [
          { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } },
        ],
      },
    }),
    new Service({
      metadata: { name: CHROMA_SERVICE, namespace: settings.namespace, labels: labelsOf(CHROMA_SERVICE) },
      spec: { selector: selectorOf(CHROMA_SERVICE).matchLabels, ports: [{ name: 'http', port: 8000, targetPort: 'http' }] },
    }),
    disruptionBudget(settings, CHROMA_SERVICE),
  ];
}

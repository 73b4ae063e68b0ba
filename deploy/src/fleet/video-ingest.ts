import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Service } from 'kubernetes-models/v1/Service';
import { labelsOf, selectorOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import type { DeploySettings } from '../settings.js';
import { disruptionBudget, headlessService } from './deployments.js';
import { servicePodTemplate } from './service-pods.js';

export const INGEST = 'video-ingest';
export const RTMP_PORT = 1935;

/**
 * RTMP ingest: the video image with VIDEO_INGEST_INSTANCE=`*`, each pod owning port 1935 of its
 * own network namespace and advertising its stable StatefulSet address, where the API pods proxy
 * the playback of the streams it holds. Drones reach it through one LoadBalancer; a publisher's
 * connection stays on the pod it landed on. Playback and the API scale apart (the `video` Deployment).
 */
export function videoIngestObjects(settings: DeploySettings, replicas = 2): KubeObject[] {
  return [
    new StatefulSet({
      metadata: { name: INGEST, namespace: settings.namespace, labels: labelsOf(INGEST) },
      spec: {
        serviceName: INGEST,
        replicas,
        // Ingest pods do not depend on each other: start and replace them all at once.
        podManagementPolicy: 'Parallel',
        selector: selectorOf(INGEST),
        template: servicePodTemplate(settings, {
          name: INGEST,
          service: 'video',
          entry: 'src/main.js',
          sizing: 'video-ingest',
          extraPorts: [{ name: 'rtmp', containerPort: RTMP_PORT }],
          terminationGracePeriodSeconds: 30,
        }),
      },
    }),
    headlessService(settings, INGEST, [{ name: 'http', port: 3000 }]),
    new Service({
      metadata: { name: 'video-rtmp', namespace: settings.namespace, labels: labelsOf('video-rtmp') },
      spec: {
        type: 'LoadBalancer',
        // Local: the pod sees the drone's own address (video's session log, its refusals by address),
        // not a node's; the load balancer only sends to nodes that run an ingest pod.
        externalTrafficPolicy: 'Local',
        selector: selectorOf(INGEST).matchLabels,
        ports: [{ name: 'rtmp', port: RTMP_PORT, targetPort: 'rtmp', protocol: 'TCP' }],
      },
    }),
    disruptionBudget(settings, INGEST),
  ];
}

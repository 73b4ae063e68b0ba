import type { IIoK8sApiCoreV1PodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { BROKER_CLIENT_LABEL, DATABASE_CLIENT_LABEL, labelsOf } from '../k8s/labels.js';
import { HEALTH_PROBES, NODE_UID, RESTRICTED_CONTAINER, TMP_MOUNT, TMP_VOLUME, restrictedPodSecurity, spreadOf } from '../k8s/pod.js';
import type { DeploySettings } from '../settings.js';
import { dataVolumesOf } from '../state/storage.js';
import { serviceEnv } from './env.js';
import { commandOf, imageOf } from './images.js';
import { resourcesOf, type SizedComponent } from './resources.js';

export interface ServicePod {
  /** The pods' name label: the workload (`video-ingest` for the ingest StatefulSet). */
  name: string;
  service: string;
  entry: string;
  sizing: SizedComponent;
  extraPorts?: { name: string; containerPort: number }[];
  /** How long a stopping pod may finish what it holds (the RPC deadline, a detection, a stage). */
  terminationGracePeriodSeconds: number;
}

/** The pod of any fleet process: one container, /health and /health/live probes, the restricted security profile. */
export function servicePodTemplate(settings: DeploySettings, pod: ServicePod): IIoK8sApiCoreV1PodTemplateSpec {
  const data = dataVolumesOf(settings, pod.name);
  return {
    metadata: { labels: labelsOf(pod.name, { [DATABASE_CLIENT_LABEL]: 'true', [BROKER_CLIENT_LABEL]: 'true' }) },
    spec: {
      // No process of the fleet talks to the Kubernetes API.
      automountServiceAccountToken: false,
      securityContext: restrictedPodSecurity(NODE_UID),
      terminationGracePeriodSeconds: pod.terminationGracePeriodSeconds,
      topologySpreadConstraints: spreadOf(pod.name),
      containers: [
        {
          name: pod.name,
          image: imageOf(settings, pod.service),
          imagePullPolicy: 'IfNotPresent',
          command: commandOf(pod.service, pod.entry),
          env: serviceEnv(settings, pod.name, pod.service),
          ports: [{ name: 'http', containerPort: 3000 }, ...(pod.extraPorts ?? [])],
          resources: resourcesOf(pod.sizing),
          ...HEALTH_PROBES,
          securityContext: RESTRICTED_CONTAINER,
          volumeMounts: [TMP_MOUNT, ...data.mounts],
        },
      ],
      volumes: [TMP_VOLUME, ...data.volumes],
    },
  };
}

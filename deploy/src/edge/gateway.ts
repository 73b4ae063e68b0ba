import { createHash } from 'node:crypto';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { disruptionBudget } from '../fleet/deployments.js';
import { imageOf } from '../fleet/images.js';
import { resourcesOf } from '../fleet/resources.js';
import { labelsOf, selectorOf } from '../k8s/labels.js';
import type { KubeObject } from '../k8s/manifest.js';
import { RESTRICTED_CONTAINER, TMP_MOUNT, TMP_VOLUME, restrictedPodSecurity, spreadOf } from '../k8s/pod.js';
import type { DeploySettings } from '../settings.js';
import { listenPort } from './nginx-conf.js';
import { renderClusterNginxConf } from './render-nginx.js';

export const GATEWAY = 'gateway';
export const GATEWAY_CONFIG = 'gateway-nginx';
/** The `nginx` user of the nginx:alpine images. */
const NGINX_UID = 101;

/**
 * The edge is compose's gateway image (nginx with the console built in) running nginx.conf as
 * rendered for the cluster, behind one LoadBalancer Service: the same routes, upload caps,
 * timeouts (1 h for the live feed and HTTP-FLV), rate limits, request ids and JSON errors as in
 * compose, which gateway/local's tests already pin. ingress-nginx reached its end of maintenance
 * in March 2026 and could not express several of them without configuration snippets; put any
 * maintained L4 load balancer or Gateway API implementation in front for TLS (README, Kubernetes).
 */
export function gatewayObjects(settings: DeploySettings): KubeObject[] {
  const conf = renderClusterNginxConf(settings);
  const port = listenPort(conf);
  const metadata = (name: string) => ({ name, namespace: settings.namespace, labels: labelsOf(name) });
  const scratch = (name: string, mountPath: string) => ({ volume: { name, emptyDir: {} }, mount: { name, mountPath } });
  // pid file and proxy/client temp files: the image's paths, writable though the root is not.
  const cache = scratch('nginx-cache', '/var/cache/nginx');
  const run = scratch('nginx-run', '/var/run');
  const healthz = (periodSeconds: number, failureThreshold: number) => ({ httpGet: { path: '/healthz', port: 'http' }, periodSeconds, failureThreshold, timeoutSeconds: 2 });
  return [
    new ConfigMap({ metadata: metadata(GATEWAY_CONFIG), data: { 'nginx.conf': conf } }),
    new Deployment({
      metadata: metadata(GATEWAY),
      spec: {
        selector: selectorOf(GATEWAY),
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
        template: {
          metadata: {
            labels: labelsOf(GATEWAY),
            // A file mounted with subPath is not updated in place: a new config rolls the pods.
            annotations: { 'fleet.station/nginx-conf-sha256': createHash('sha256').update(conf).digest('hex') },
          },
          spec: {
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurity(NGINX_UID),
            topologySpreadConstraints: spreadOf(GATEWAY),
            containers: [
              {
                name: 'nginx',
                image: imageOf(settings, 'gateway'),
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: port }],
                resources: resourcesOf('gateway'),
                readinessProbe: healthz(5, 2),
                livenessProbe: healthz(10, 3),
                securityContext: RESTRICTED_CONTAINER,
                volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true }, cache.mount, run.mount, TMP_MOUNT],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: GATEWAY_CONFIG } }, cache.volume, run.volume, TMP_VOLUME],
          },
        },
      },
    }),
    new Service({
      metadata: metadata(GATEWAY),
      spec: {
        type: 'LoadBalancer',
        // The caller's own address reaches nginx: its rate limits and X-Forwarded-For are keyed on it.
        externalTrafficPolicy: 'Local',
        selector: selectorOf(GATEWAY).matchLabels,
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    }),
    new HorizontalPodAutoscaler({
      metadata: metadata(GATEWAY),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: GATEWAY },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    }),
    disruptionBudget(settings, GATEWAY),
  ];
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { validateManifest, type KubeObject } from '../src/k8s/manifest.js';
import { settings, written } from './fixture.js';

// Every kind the synth writes that has a schema on npm; its constructor re-validates what was written.
const MODELS: Record<string, new (data: never) => KubeObject> = {
  'apps/v1/Deployment': Deployment as never,
  'apps/v1/StatefulSet': StatefulSet as never,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as never,
  'batch/v1/Job': Job as never,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as never,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as never,
  'v1/ConfigMap': ConfigMap as never,
  'v1/Namespace': Namespace as never,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as never,
  'v1/Service': Service as never,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject as never,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication as never,
  'monitoring.coreos.com/v1/PodMonitor': PodMonitor as never,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor as never,
};
// Operators' resources without typed models on npm (deploy/src/crds/): typed at compile time only.
const UNTYPED = new Set([
  'postgresql.cnpg.io/v1/Cluster',
  'postgresql.cnpg.io/v1/Database',
  'rabbitmq.com/v1beta1/RabbitmqCluster',
  'redis.redis.opstreelabs.in/v1beta2/Redis',
  'k8s.keycloak.org/v2alpha1/Keycloak',
  'k8s.keycloak.org/v2alpha1/KeycloakRealmImport',
]);

describe('the written manifests against the Kubernetes schema (offline)', () => {
  it('validates every object read back from the YAML with its kubernetes-models class', () => {
    let validated = 0;
    for (const object of written) {
      const type = `${object.apiVersion}/${object.kind}`;
      if (UNTYPED.has(type)) continue;
      const Model = MODELS[type];
      assert.ok(Model, `${type} (${object.metadata.name}) has no schema in the test: add its model`);
      const { apiVersion: _apiVersion, kind: _kind, file: _file, ...data } = object;
      assert.doesNotThrow(() => validateManifest(new Model(data as never)), `${type} ${object.metadata.name}`);
      validated++;
    }
    assert.ok(validated >= 60, `only ${validated} objects validated`);
  });

  it('puts every object but the namespace in the fleet namespace, under a unique name', () => {
    const keys = written.map((object) => `${object.kind}/${object.metadata.name}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const object of written.filter((o) => o.kind !== 'Namespace')) assert.equal(object.metadata.namespace, settings.namespace, `${object.kind} ${object.metadata.name}`);
  });

  it('refuses an object the API server would refuse, before writing', () => {
    const container = { name: 'c', image: 'i', resources: { limits: { memory: 'lots' } } };
    const broken = new Deployment({ metadata: { name: 'x', namespace: 'fleet' }, spec: { selector: {}, template: { spec: { containers: [container] } } } });
    assert.throws(() => validateManifest(broken), /Deployment x does not validate: .*memory/);
    const badName = new Service({ metadata: { name: 'Bad_Name', namespace: 'fleet' }, spec: {} });
    assert.throws(() => validateManifest(badName), /RFC 1123/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as contracts from '@fleet/contracts';
import { FLEET_SERVICES } from '@fleet/local-fleet';
import { named, ofKind, selects, written } from './fixture.js';

/** Every queue a contract method names: `fleet.<service>` or a worker pool's own. */
const contractQueues = new Set(
  Object.values(contracts)
    .filter((value): value is { kind: 'method'; queue: string } => typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'method')
    .map((method) => method.queue),
);

const pools = FLEET_SERVICES.filter((spec) => spec.publicPath === null).map((spec) => spec.name);
const httpServices = FLEET_SERVICES.filter((spec) => spec.publicPath !== null).map((spec) => spec.name);

describe('autoscaling', () => {
  it('reads the contracts queues it checks against', () => {
    assert.ok(contractQueues.has('fleet.vision.detect') && contractQueues.has('fleet.face'), [...contractQueues].join(', '));
  });

  it('every worker pool scales with a KEDA ScaledObject on a RabbitMQ queue named in libs/contracts', () => {
    assert.deepEqual(pools.sort(), ['face', 'translator-worker', 'vision-worker']);
    for (const pool of pools) {
      const scaled = ofKind('ScaledObject').filter((object) => object.spec?.scaleTargetRef?.name === pool);
      assert.equal(scaled.length, 1, `${pool}: one ScaledObject`);
      named('Deployment', pool);
      const [trigger] = scaled[0].spec?.triggers;
      assert.equal(trigger.type, 'rabbitmq');
      assert.ok(contractQueues.has(trigger.metadata.queueName), `${pool}: queue ${trigger.metadata.queueName} is no contract's`);
      // Counting unacked messages too (management API): a worker holding a stage keeps its pod.
      assert.equal(trigger.metadata.protocol, 'http');
      const auth = named('TriggerAuthentication', trigger.authenticationRef.name);
      for (const ref of auth.spec?.secretTargetRef) assert.ok(ref.name && ref.key && ref.parameter, 'credentials come from a Secret');
      assert.equal(ofKind('HorizontalPodAutoscaler').filter((hpa) => hpa.metadata.name === pool).length, 0, `${pool}: KEDA owns its HPA`);
    }
  });

  it('translator workers scale to zero, and scale in only to zero', () => {
    const translator = named('ScaledObject', 'translator-worker');
    assert.equal(translator.spec?.minReplicaCount, 0);
    assert.equal(translator.spec?.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.selectPolicy, 'Disabled');
  });

  it('every HTTP service and the gateway scale with an HPA on CPU', () => {
    for (const name of [...httpServices, 'gateway']) {
      const hpa = named('HorizontalPodAutoscaler', name);
      assert.equal(hpa.spec?.scaleTargetRef.name, name);
      assert.ok(hpa.spec?.minReplicas >= 2, `${name}: at least two replicas`);
      assert.deepEqual(hpa.spec?.metrics.map((metric: { resource: { name: string } }) => metric.resource.name), ['cpu']);
    }
  });

  it('no autoscaled Deployment fixes its replica count, and each has a disruption budget and topology spread', () => {
    for (const deployment of ofKind('Deployment')) {
      const name = deployment.metadata.name;
      assert.equal(deployment.spec?.replicas, undefined, `${name}: replicas would fight the autoscaler on every apply`);
      const podLabels = deployment.spec?.template.metadata.labels;
      const budgets = ofKind('PodDisruptionBudget').filter((pdb) => selects(pdb.spec?.selector.matchLabels, podLabels));
      assert.equal(budgets.length, 1, `${name}: one PodDisruptionBudget`);
      const keys = deployment.spec?.template.spec.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey);
      assert.ok(keys.includes('kubernetes.io/hostname'), `${name}: spread across nodes`);
    }
    assert.ok(written.some((object) => object.kind === 'StatefulSet' && object.metadata.name === 'video-ingest'));
  });
});

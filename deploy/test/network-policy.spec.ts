import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DATABASE_CLIENT_LABEL } from '../src/k8s/labels.js';
import { KEYCLOAK_POD_LABELS } from '../src/state/keycloak.js';
import { POSTGRES_POD_LABELS } from '../src/state/postgres.js';
import { named, ofKind, selects, settings, type Written } from './fixture.js';

interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
interface Rule {
  from?: Peer[];
  ports?: { port: number | string }[];
}

const podLabelsOf = (kind: string, name: string): Record<string, string> => named(kind, name).spec?.template.metadata.labels;
/** The ingress rules of every policy that applies to pods with these labels. */
const rulesFor = (labels: Record<string, string>): { policy: Written; rules: Rule[] }[] =>
  ofKind('NetworkPolicy')
    .filter((policy) => selects(policy.spec?.podSelector.matchLabels, labels))
    .map((policy) => ({ policy, rules: policy.spec?.ingress ?? [] }));
const prometheusNamespace = { matchLabels: { 'kubernetes.io/metadata.name': settings.prometheusNamespace } };

describe('network policies', () => {
  it('refuse every ingress the rules do not admit', () => {
    const deny = named('NetworkPolicy', 'default-deny-ingress');
    assert.deepEqual(deny.spec, { podSelector: {}, policyTypes: ['Ingress'] });
  });

  it('face admits only base, and Prometheus on its metrics port', () => {
    const face = podLabelsOf('Deployment', 'face');
    const base = podLabelsOf('Deployment', 'base');
    const applying = rulesFor(face);
    assert.ok(applying.length >= 2, 'the default deny and face own policy');
    let baseAdmitted = false;
    for (const { policy, rules } of applying) {
      for (const rule of rules) {
        assert.ok(rule.from?.length, `${policy.metadata.name}: a rule admitting every source`);
        for (const peer of rule.from) {
          if (peer.namespaceSelector) {
            assert.deepEqual(peer.namespaceSelector, prometheusNamespace, `${policy.metadata.name}: another namespace`);
            assert.equal(peer.podSelector, undefined);
            assert.deepEqual(rule.ports?.map((port) => port.port), [3000], 'Prometheus only on the metrics port');
            continue;
          }
          assert.ok(peer.podSelector?.matchLabels && Object.keys(peer.podSelector.matchLabels).length > 0, `${policy.metadata.name}: every pod`);
          assert.ok(selects(peer.podSelector.matchLabels, base), `${policy.metadata.name}: admits pods other than base`);
          // The selector must not also match another workload's pods.
          for (const deployment of ofKind('Deployment').filter((d) => d.metadata.name !== 'base')) {
            assert.ok(!selects(peer.podSelector.matchLabels, deployment.spec?.template.metadata.labels), `admits ${deployment.metadata.name}`);
          }
          baseAdmitted = true;
        }
      }
    }
    assert.ok(baseAdmitted, 'base reaches face');
  });

  it('no rule opens a fleet process port 3000 to every source or another namespace but Prometheus', () => {
    for (const workload of [...ofKind('Deployment'), ...ofKind('StatefulSet')]) {
      const labels = workload.spec?.template.metadata.labels;
      for (const { policy, rules } of rulesFor(labels)) {
        for (const rule of rules.filter((r) => !r.ports || r.ports.some((port) => port.port === 3000))) {
          assert.ok(rule.from?.length, `${policy.metadata.name} opens ${workload.metadata.name}:3000 to everyone`);
          for (const peer of rule.from.filter((p) => p.namespaceSelector)) assert.deepEqual(peer.namespaceSelector, prometheusNamespace);
        }
      }
    }
  });

  it('Postgres admits its port only from the services (each its own role), their migrations and Keycloak', () => {
    const rules = rulesFor(POSTGRES_POD_LABELS).flatMap(({ rules }) => rules);
    const onPostgresPort = rules.filter((rule) => rule.ports?.some((port) => port.port === 5432));
    const peers = onPostgresPort.flatMap((rule) => rule.from ?? [{}]);
    assert.deepEqual(
      peers.map((peer) => peer.podSelector?.matchLabels).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      [{ [DATABASE_CLIENT_LABEL]: 'true' }, POSTGRES_POD_LABELS, KEYCLOAK_POD_LABELS].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    assert.ok(peers.every((peer) => !peer.namespaceSelector), 'no other namespace');
    // Exactly the pods that carry a service's own DATABASE_URL (svc_<service>) wear the label.
    for (const owner of [...ofKind('Deployment'), ...ofKind('StatefulSet'), ...ofKind('Job')]) {
      const spec = owner.spec?.template;
      const urls = spec.spec.containers.flatMap((c: { env?: { name: string; value?: string }[] }) => c.env ?? []).filter((v: { name: string }) => v.name === 'DATABASE_URL');
      assert.equal(spec.metadata.labels[DATABASE_CLIENT_LABEL] === 'true', urls.length > 0, `${owner.metadata.name}`);
      for (const url of urls) assert.match(url.value, /^postgres:\/\/svc_[a-z]+:/, `${owner.metadata.name}: connects as its own role`);
    }
  });
});

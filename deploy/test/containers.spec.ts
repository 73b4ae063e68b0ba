import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podSpecs } from './fixture.js';

/** CPU in cores, memory in bytes. */
function quantity(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(value);
  assert.ok(match, `cannot read quantity ${value}`);
  const factor = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * factor;
}

const containersOf = (spec: Record<string, any>) => [...(spec.initContainers ?? []), ...spec.containers]; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('containers', () => {
  it('every container has cpu and memory requests and limits, the request no larger than the limit', () => {
    let checked = 0;
    for (const { owner, spec } of podSpecs()) {
      for (const container of containersOf(spec)) {
        const where = `${owner.kind} ${owner.metadata.name} / ${container.name}`;
        for (const resource of ['cpu', 'memory']) {
          const request = container.resources?.requests?.[resource];
          const limit = container.resources?.limits?.[resource];
          assert.ok(request && limit, `${where}: ${resource} request and limit`);
          assert.ok(quantity(request) <= quantity(limit), `${where}: ${resource} request ${request} above limit ${limit}`);
        }
        checked++;
      }
    }
    assert.ok(checked >= 15, `only ${checked} containers`);
  });

  // Jobs (the migrations) run to completion and serve nothing: a probe would have nothing to ask.
  it('every long-running container has readiness and liveness probes', () => {
    for (const { owner, spec } of podSpecs().filter(({ owner }) => owner.kind !== 'Job')) {
      for (const container of spec.containers) {
        assert.ok(container.readinessProbe?.httpGet, `${owner.metadata.name}/${container.name}: readiness`);
        assert.ok(container.livenessProbe?.httpGet, `${owner.metadata.name}/${container.name}: liveness`);
      }
    }
  });

  // A broker outage makes /health 503 everywhere: on liveness it would restart the whole fleet.
  it('every fleet process is ready on /health and alive on /health/live of its http port', () => {
    let probed = 0;
    for (const { owner, spec } of podSpecs().filter(({ owner }) => owner.kind !== 'Job')) {
      const container = spec.containers[0];
      if (!container.command?.[1]?.startsWith('services/')) continue;
      assert.deepEqual(container.readinessProbe.httpGet, { path: '/health', port: 'http' }, `${owner.metadata.name} readiness`);
      for (const probe of ['livenessProbe', 'startupProbe']) {
        assert.deepEqual(container[probe].httpGet, { path: '/health/live', port: 'http' }, `${owner.metadata.name} ${probe}`);
      }
      assert.ok(container.ports.some((port: { name: string; containerPort: number }) => port.name === 'http' && port.containerPort === 3000));
      probed++;
    }
    assert.ok(probed >= 9, `only ${probed} fleet processes`);
  });

  it('every pod runs as non-root, with a read-only root filesystem, no capabilities and no API token', () => {
    for (const { owner, spec } of podSpecs()) {
      assert.equal(spec.securityContext?.runAsNonRoot, true, owner.metadata.name);
      assert.equal(spec.automountServiceAccountToken, false, owner.metadata.name);
      for (const container of containersOf(spec)) {
        const where = `${owner.metadata.name}/${container.name}`;
        assert.equal(container.securityContext?.readOnlyRootFilesystem, true, where);
        assert.equal(container.securityContext?.allowPrivilegeEscalation, false, where);
        assert.deepEqual(container.securityContext?.capabilities?.drop, ['ALL'], where);
        // A read-only root needs somewhere for os.tmpdir().
        assert.ok(container.volumeMounts?.some((mount: { mountPath: string }) => mount.mountPath === '/tmp'), `${where}: /tmp`);
      }
    }
  });
});

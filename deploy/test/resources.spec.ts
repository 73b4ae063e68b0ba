import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { capacityFigures, planCapacity, SIZED_SERVICES, type BenchResults, type Figure, type SizedService } from '@fleet/local-fleet/dist/src/capacity/index.js';
import { benchResultsFile, resourcesOf } from '../src/fleet/resources.js';
import { podSpecs } from './fixture.js';

const results = JSON.parse(readFileSync(benchResultsFile({}), 'utf8')) as BenchResults;
const plan = planCapacity({ stations: 1, robotsPerStation: 1, drones: 1, translationHoursPerDay: 1 }, capacityFigures(results));

/** The memory request of the container that runs `service` (the ingest is video's StatefulSet). */
function requestOf(service: SizedService): string {
  const pods = podSpecs().filter(({ owner }) => owner.kind !== 'Job' && owner.metadata.name === service);
  assert.equal(pods.length, 1, `one workload named ${service}`);
  return pods[0].spec.containers[0].resources.requests.memory;
}

describe('resources from the benchmarks', () => {
  it('every measured service reserves what the capacity model counts per replica, from bench/results.json', () => {
    for (const service of SIZED_SERVICES) {
      const planned = plan.services.find((entry) => entry.service === service);
      assert.ok(planned, `the capacity plan sizes ${service}`);
      assert.equal(requestOf(service), `${planned.memoryPerReplicaMb}Mi`, `${service}: ${planned.memoryBasis}`);
    }
  });

  it('follows a new measurement: a larger peak raises the request, and the limit with it when it passes compose\'s', () => {
    const peaks = (base: number) => () => ({ ...capacityFigures(results).rssMb, base: { value: base, basis: 'a test' } satisfies Figure });
    assert.deepEqual(resourcesOf('base', peaks(200)).requests, { cpu: '100m', memory: '256Mi' });
    assert.deepEqual(resourcesOf('base', peaks(200)).limits, { cpu: '1', memory: '512Mi' });
    assert.deepEqual(resourcesOf('base', peaks(1000)).requests?.memory, '1264Mi');
    assert.deepEqual(resourcesOf('base', peaks(1000)).limits?.memory, '1264Mi');
  });
});

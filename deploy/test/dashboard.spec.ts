import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DASHBOARD_FILE } from '../src/observability/monitors.js';
import { repoRoot } from '../src/repo.js';
import { named } from './fixture.js';

const root = repoRoot();
const dashboardText = readFileSync(path.join(root, DASHBOARD_FILE), 'utf8');
const dashboard = JSON.parse(dashboardText) as { panels: { title: string; targets?: { expr: string }[] }[] };

/** Metric names registered in the services' and libs' sources (prom-client `name`s). */
function exposedMetrics(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts')) for (const match of readFileSync(full, 'utf8').matchAll(/['"](fleet_[a-z_]+)['"]/g)) names.add(match[1]);
    }
  };
  for (const kind of ['libs', 'services']) for (const project of readdirSync(path.join(root, kind))) walk(path.join(root, kind, project, 'src'));
  return names;
}

// Series that come from elsewhere: prom-client's default metrics, RabbitMQ's per-queue metrics.
const EXTERNAL = /^(process_|nodejs_|rabbitmq_detailed_queue_)/;
const SUFFIX = /_(bucket|count|sum)$/;

describe('the Grafana dashboard', () => {
  const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
  const used = new Set(expressions.flatMap((expr) => [...expr.matchAll(/\b([a-z_]+)\{/g)].map((match) => match[1])));

  it('queries only metrics the services expose (or RabbitMQ and prom-client do)', () => {
    const exposed = exposedMetrics();
    assert.ok(exposed.has('fleet_http_request_duration_seconds'), 'found the sources');
    assert.ok(used.size >= 15, `only ${used.size} metrics`);
    for (const metric of used) {
      if (EXTERNAL.test(metric)) continue;
      assert.ok(exposed.has(metric) || exposed.has(metric.replace(SUFFIX, '')), `${metric} is exposed by no service`);
    }
  });

  it('shows requests and latency per route, RPC calls, dead letters, queue depth, streams live and jobs running', () => {
    for (const metric of [
      'fleet_http_request_duration_seconds_count',
      'fleet_http_request_duration_seconds_bucket',
      'fleet_rpc_client_duration_seconds_count',
      'fleet_rpc_dead_lettered_total',
      'rabbitmq_detailed_queue_messages_ready',
      'fleet_video_live_streams',
      'rabbitmq_detailed_queue_messages_unacked',
    ]) {
      assert.ok(used.has(metric), metric);
    }
    assert.ok(expressions.some((expr) => expr.includes('by (service, route)')), 'per route');
  });

  it('ships in a ConfigMap for Grafana’s dashboard sidecar, unchanged', () => {
    const configMap = named('ConfigMap', 'fleet-grafana-dashboard');
    assert.equal(configMap.metadata.labels?.grafana_dashboard, '1');
    assert.equal(configMap.data?.['fleet-dashboard.json'], dashboardText);
  });
});

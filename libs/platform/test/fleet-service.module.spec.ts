import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Builds FleetServiceModule.forRoot(options) in a fresh process (a fresh module cache) and tells
 * whether that process then holds TypeORM.
 */
function typeormLoadedFor(options: string): boolean {
  const script = `
    const { FleetServiceModule } = require(${JSON.stringify(path.join(ROOT, 'libs/platform/dist/src'))});
    const config = {
      serviceName: 'probe', instanceId: 'probe-1', environment: 'test', http: { port: 0 }, log: { level: 'error' },
      db: { url: 'postgres://probe@127.0.0.1:1/probe' }, redis: { url: 'redis://127.0.0.1:1' },
      rmq: { url: 'amqp://127.0.0.1:1', prefetch: 1, eventPrefetch: 1, maxDeliveries: 1, deadlineMs: 1000 },
      auth: { keycloakUrl: 'http://127.0.0.1:1/keycloak', realm: 'fleet', clientId: 'fleet-api', realmPublicKey: 'AAAA' },
    };
    FleetServiceModule.forRoot({ config, ...${options} });
    process.stdout.write(String(Object.keys(require.cache).some((file) => file.includes('/node_modules/typeorm/'))));`;
  return execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }) === 'true';
}

describe('FleetServiceModule', () => {
  it('leaves TypeORM unloaded in a process without a database (a worker pool)', () => {
    assert.equal(typeormLoadedFor('{ redis: true, messaging: { serve: true } }'), false);
  });

  it('loads TypeORM for a process with a database', () => {
    assert.equal(typeormLoadedFor("{ database: { type: 'postgres', url: config.db.url, schema: 'probe', entities: [] }, messaging: {} }"), true);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { documentedServices, generatePluginMetadata, pluginMetadataFile } from '../src/plugin-metadata';

const root = process.env.FLEET_ROOT ?? path.resolve(__dirname, '..', '..', '..', '..');

describe('swagger plugin metadata', () => {
  const services = documentedServices(root);

  it('finds the services that serve OpenAPI', () => {
    const names = services.map((dir) => path.basename(dir)).sort();
    assert.deepEqual(names, ['base', 'store', 'translator', 'video', 'vision']);
  });

  for (const service of services) {
    it(`${path.relative(root, service)}/src/metadata.ts is what the DTOs generate today (else: npm run openapi:metadata)`, () => {
      const generated = generatePluginMetadata(service);
      assert.equal(readFileSync(pluginMetadataFile(service), 'utf8'), generated);
      assert.doesNotMatch(generated, /libs\//, 'types from libraries are imported by their alias');
      // The document is built in the HTTP process: a message handler named here would be imported there.
      assert.doesNotMatch(generated, /\.rpc\.controller/, 'message handlers are left out');
    });
  }
});

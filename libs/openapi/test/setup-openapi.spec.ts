import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Body, Controller, INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PluginMetadata, setupOpenApi } from '../src/setup-openapi';

/** No @ApiProperty: its fields reach the document only through the plugin metadata. */
class ParcelDto {
  label!: string;
}

@Controller('parcels')
class ParcelsController {
  @Post()
  create(@Body() parcel: ParcelDto): ParcelDto {
    return parcel;
  }
}

@Module({ controllers: [ParcelsController] })
class ParcelsModule {}

/** What the swagger plugin would generate for ParcelDto, counting how often the service loads it. */
function countingMetadata(failFirst = false): PluginMetadata & { calls: number } {
  const metadata = Object.assign(
    async () => {
      metadata.calls += 1;
      if (failFirst && metadata.calls === 1) throw new Error('metadata not readable yet');
      return { '@nestjs/swagger': { models: [[Promise.resolve({ ParcelDto }), { ParcelDto: { label: { required: true, type: () => String } } }]], controllers: [] } };
    },
    { calls: 0 },
  );
  return metadata;
}

async function startApp(metadata: PluginMetadata): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(ParcelsModule, { logger: false });
  setupOpenApi(app, { title: 'parcels', description: 'test', gatewayPrefix: '/parcels_api', metadata });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

type OpenApiDocument = { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };

describe(setupOpenApi.name, () => {
  describe('with metadata that loads', () => {
    const metadata = countingMetadata();
    let app: INestApplication;
    let url: string;

    before(async () => ({ app, url } = await startApp(metadata)));
    after(() => app.close());

    it('loads nothing at boot: the service answers its routes without the metadata', async () => {
      const response = await fetch(`${url}/parcels`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"x"}' });
      assert.equal(response.status, 201);
      assert.equal(metadata.calls, 0);
    });

    it('loads it once, on the first requests under /docs, before it builds the document', async () => {
      const [json, yaml, ui] = await Promise.all([fetch(`${url}/docs/json`), fetch(`${url}/docs/yaml`), fetch(`${url}/docs`)]);
      assert.deepEqual([json.status, yaml.status, ui.status], [200, 200, 200]);
      const document = (await json.json()) as OpenApiDocument;
      assert.deepEqual(Object.keys(document.components.schemas.ParcelDto.properties ?? {}), ['label']);
      assert.match(await yaml.text(), /ParcelDto:/);
      await fetch(`${url}/docs/json`);
      assert.equal(metadata.calls, 1);
    });
  });

  describe('with metadata whose first load fails', () => {
    const metadata = countingMetadata(true);
    let app: INestApplication;
    let url: string;

    before(async () => ({ app, url } = await startApp(metadata)));
    after(() => app.close());

    it('answers 500 once, then loads it again and serves the whole document', async () => {
      assert.equal((await fetch(`${url}/docs/json`)).status, 500);
      const response = await fetch(`${url}/docs/json`);
      assert.equal(response.status, 200);
      const document = (await response.json()) as OpenApiDocument;
      assert.deepEqual(Object.keys(document.components.schemas.ParcelDto.properties ?? {}), ['label']);
      assert.equal(metadata.calls, 2);
    });
  });
});

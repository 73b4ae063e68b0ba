import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { validateEnv } from '@fleet/config';
import {
  concretePath,
  createTestDatabase,
  createTestRealm,
  createTestVhost,
  HttpRoute,
  httpRoutesOf,
  signTestToken,
  TestDatabase,
  TestRealm,
  TestVhost,
} from '@fleet/testing';
import { AppModule } from '../src/app.module';
import { StoreEnv, toStoreConfig } from '../src/config/store.config';
import { storeDataSourceOptions } from '../src/database/store.datasource';

/** The only routes anyone may call without a token. Adding one here is a deliberate, reviewed act. */
const PUBLIC_ROUTES = ['GET /health', 'GET /health/live', 'GET /metrics', 'GET /shops', 'GET /shops/:shopId/products'];

describe('store route guards: every route outside the public list needs a token and a role', () => {
  let realm: TestRealm;
  let db: TestDatabase;
  let vhost: TestVhost;
  let app: INestApplication;
  let url: string;
  let routes: HttpRoute[];

  before(async () => {
    realm = createTestRealm();
    [db, vhost] = await Promise.all([createTestDatabase('store', 'svc_store', storeDataSourceOptions), createTestVhost('fleet_test_store_routes')]);
    const config = toStoreConfig(
      validateEnv(StoreEnv, {
        DATABASE_URL: db.url,
        RABBITMQ_URL: vhost.url,
        KEYCLOAK_URL: realm.keycloakUrl,
        KEYCLOAK_REALM: realm.realm,
        KEYCLOAK_REALM_PUBLIC_KEY: realm.publicKeyBase64,
        INSTANCE_ID: 'store-routes-test',
      }),
    );
    app = await NestFactory.create(AppModule.forRoot(config), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    routes = httpRoutesOf(app.getHttpAdapter().getInstance());
  });
  after(async () => {
    await app?.close();
    await db?.drop();
    await vhost?.drop();
  });

  it('finds the routes, and every public one still exists', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    assert.ok(routes.length >= 15, `found ${routes.length} routes`);
    for (const route of PUBLIC_ROUTES) assert.ok(names.includes(route), `${route} is served`);
  });

  it('answers 401 without a token and 403 with a token of no store role, on every non-public route', async () => {
    const droneToken = await signTestToken(realm, { sub: 'drone-1', roles: ['drone'] });
    const checked: string[] = [];
    for (const route of routes) {
      const name = `${route.method} ${route.path}`;
      if (PUBLIC_ROUTES.includes(name)) continue;
      const target = url + concretePath(route.path, route.path.includes('outbox') ? '1' : randomUUID());
      const init = (token?: string): RequestInit => ({
        method: route.method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: ['POST', 'PATCH', 'PUT'].includes(route.method) ? '{}' : undefined,
      });
      assert.equal((await fetch(target, init())).status, 401, `${name} without a token`);
      assert.equal((await fetch(target, init(droneToken))).status, 403, `${name} with a drone token`);
      checked.push(name);
    }
    assert.ok(checked.length >= 11, `checked ${checked.join(', ')}`);
  });

  it('serves the public routes without a token', async () => {
    for (const route of PUBLIC_ROUTES) {
      const [, path] = route.split(' ');
      const status = (await fetch(url + concretePath(path, randomUUID()))).status;
      assert.notEqual(status, 401, route);
      assert.notEqual(status, 403, route);
    }
  });
});

import 'reflect-metadata';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Role } from '@fleet/contracts';
import { createTestRealm, signTestToken, TestRealm } from '@fleet/testing';
import { AuthModule, AuthUser, CurrentUser, Public, Roles } from '../src';

@Controller()
class ProbeController {
  @Public() @Get('open') open() { return { ok: true }; }
  @Get('any') any(@CurrentUser() user: AuthUser) { return { sub: user.sub }; }
  @Roles(Role.Operator, Role.Admin) @Get('admin') admin() { return { ok: true }; }
}

describe('AuthGuard over HTTP', () => {
  let realm: TestRealm;
  let app: INestApplication;
  let url: string;

  before(async () => {
    realm = createTestRealm();
    @Module({
      imports: [AuthModule.forRoot({ keycloakUrl: realm.keycloakUrl, realm: realm.realm, clientId: realm.clientId, realmPublicKey: realm.publicKeyBase64 })],
      controllers: [ProbeController],
    })
    class ProbeModule {}
    app = await NestFactory.create(ProbeModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  after(() => app.close());

  const get = (path: string, token?: string) =>
    fetch(`${url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('lets anyone reach a @Public() route', async () => {
    assert.equal((await get('/open')).status, 200);
  });

  it('answers 401 with a reason for a missing, forged or expired token', async () => {
    const missing = await get('/any');
    assert.equal(missing.status, 401);
    assert.match(((await missing.json()) as { message: string }).message, /missing/);
    assert.equal((await get('/any', 'x.y.z')).status, 401);
    const expired = await signTestToken(realm, { expiresIn: -1 });
    assert.equal((await get('/any', expired)).status, 401);
    const other = createTestRealm();
    assert.equal((await get('/any', await signTestToken(other, { roles: ['admin'] }))).status, 401);
  });

  it('answers 401 for a genuine token of the realm that is not meant for the fleet (no fleet-api audience)', async () => {
    const foreign = await get('/admin', await signTestToken(realm, { roles: [Role.Admin], audience: 'account', extraClaims: { azp: 'some-other-app' } }));
    assert.equal(foreign.status, 401);
    assert.match(((await foreign.json()) as { message: string }).message, /not meant for fleet-api: its audience is account, issued to client some-other-app/);
    assert.equal((await get('/admin', await signTestToken(realm, { roles: [Role.Admin] }))).status, 200, 'the same token with the audience passes');
  });

  it('answers 403 for a valid token without the role, 200 with it', async () => {
    const robot = await signTestToken(realm, { sub: 'r1', roles: [Role.Robot] });
    const forbidden = await get('/admin', robot);
    assert.equal(forbidden.status, 403);
    assert.match(((await forbidden.json()) as { message: string }).message, /operator, admin/);
    const operator = await signTestToken(realm, { roles: [Role.Operator] });
    assert.equal((await get('/admin', operator)).status, 200);
  });

  it('puts the verified subject on the request', async () => {
    const token = await signTestToken(realm, { sub: 'engineer-42', roles: [] });
    assert.deepEqual(await (await get('/any', token)).json(), { sub: 'engineer-42' });
  });
});

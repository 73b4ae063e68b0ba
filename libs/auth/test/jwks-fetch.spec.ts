import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createPublicKey } from 'node:crypto';
import { createTestRealm, signTestToken, TestRealm } from '@fleet/testing';
import { TokenVerifier } from '../src';

/**
 * Without a configured realm key the verifier fetches the realm's JWKS from Keycloak's certs
 * endpoint. Keycloak cannot run here, so a plain HTTP server serves that one document.
 */
describe('TokenVerifier without a configured realm key', () => {
  let server: Server;
  let requests = 0;
  let realm: TestRealm;

  before(async () => {
    server = createServer((req, res) => {
      requests++;
      if (req.url !== '/keycloak/realms/fleet/protocol/openid-connect/certs') {
        res.writeHead(404).end();
        return;
      }
      const jwk = createPublicKey(realm.privateKey).export({ format: 'jwk' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'test', use: 'sig', alg: 'RS256' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    realm = createTestRealm(`http://127.0.0.1:${(server.address() as AddressInfo).port}/keycloak`);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('verifies tokens with the key fetched from Keycloak, and caches it', async () => {
    const sut = new TokenVerifier({ keycloakUrl: realm.keycloakUrl, realm: 'fleet', clientId: 'fleet-api' });
    const first = await sut.verify(await signTestToken(realm, { sub: 'op-1', roles: ['operator'] }));
    const second = await sut.verify(await signTestToken(realm, { sub: 'op-2', roles: ['operator'] }));
    assert.equal(first.sub, 'op-1');
    assert.equal(second.sub, 'op-2');
    assert.equal(requests, 1);
  });

  it('still refuses a token signed by another key', async () => {
    const sut = new TokenVerifier({ keycloakUrl: realm.keycloakUrl, realm: 'fleet', clientId: 'fleet-api' });
    const forger = createTestRealm(realm.keycloakUrl);
    await assert.rejects(sut.verify(await signTestToken(forger, { roles: ['admin'] })), /signature/);
  });
});

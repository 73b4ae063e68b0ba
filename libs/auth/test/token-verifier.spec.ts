import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createTestRealm, signTestToken, TestRealm } from '@fleet/testing';
import { InvalidTokenError, TokenVerifier, bearerFromHeader } from '../src';

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe(TokenVerifier.name, () => {
  let realm: TestRealm;
  let sut: TokenVerifier;

  before(() => {
    realm = createTestRealm();
    sut = new TokenVerifier({ keycloakUrl: realm.keycloakUrl, realm: realm.realm, clientId: realm.clientId, realmPublicKey: realm.publicKeyBase64 });
  });

  it('accepts a token signed by the realm key and returns subject and realm roles', async () => {
    const token = await signTestToken(realm, { sub: 'robot-7', roles: ['robot', 'drone'] });
    const user = await sut.verify(token);
    assert.equal(user.sub, 'robot-7');
    assert.deepEqual(user.roles, ['robot', 'drone']);
    assert.equal(user.clientId, realm.clientId);
    assert.ok(user.exp > Date.now() / 1000);
  });

  const refused: Array<[string, () => Promise<string | undefined>, RegExp]> = [
    ['a missing token', async () => undefined, /missing/],
    ['garbage', async () => 'not-a-jwt', /malformed/],
    ['a token signed with another key (forged)', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return signTestToken(realm, { roles: ['admin'], signWith: privateKey });
    }, /signature/],
    ['an expired token', async () => signTestToken(realm, { expiresIn: -10 }), /expired/],
    ['a token from another issuer', async () => signTestToken(realm, { issuer: 'http://evil/realms/fleet' }), /ISS/],
    ['a refresh token used as access token', async () => signTestToken(realm, { typ: 'Refresh' }), /wrong type/],
    ['a token without an audience', async () => signTestToken(realm, { audience: null }), /not meant for fleet-api: its audience is empty/],
    ['a token meant for another audience', async () => signTestToken(realm, { audience: ['account', 'fleet-api-x'] }), /not meant for fleet-api/],
    ['an unsigned token (alg none)', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'x', typ: 'Bearer', iss: realm.issuer, exp: 9999999999, realm_access: { roles: ['admin'] } })}.`, /signature|not signed/],
    ['a token whose payload was edited after signing', async () => {
      const [header, , signature] = (await signTestToken(realm, { roles: ['robot'] })).split('.');
      const payload = base64url({ sub: 'x', typ: 'Bearer', iss: realm.issuer, exp: 9999999999, realm_access: { roles: ['admin'] } });
      return `${header}.${payload}.${signature}`;
    }, /signature/],
  ];

  for (const [what, makeToken, reason] of refused) {
    it(`refuses ${what}`, async () => {
      const token = await makeToken();
      await assert.rejects(sut.verify(token), (error: Error) => error instanceof InvalidTokenError && reason.test(error.message));
    });
  }

  it('accepts a token whose audiences include fleet-api among others (as Keycloak writes several)', async () => {
    const user = await sut.verify(await signTestToken(realm, { sub: 'op', audience: ['account', 'fleet-api'] }));
    assert.equal(user.sub, 'op');
  });

  it('refuses a token the realm issued to another client, saying which client and audience', async () => {
    const token = await signTestToken(realm, { sub: 'service-account-fleet-provisioner', roles: ['admin'], audience: 'realm-management', extraClaims: { azp: 'fleet-provisioner' } });
    await assert.rejects(sut.verify(token), (error: Error) => error instanceof InvalidTokenError
      && error.message === 'invalid token (not meant for fleet-api: its audience is realm-management, issued to client fleet-provisioner)');
  });

  it('checks the audience the service is configured with (KEYCLOAK_CLIENT_ID)', async () => {
    const other = new TokenVerifier({ keycloakUrl: realm.keycloakUrl, realm: realm.realm, clientId: 'other-api', realmPublicKey: realm.publicKeyBase64 });
    await assert.rejects(other.verify(await signTestToken(realm)), /not meant for other-api: its audience is fleet-api/);
    assert.equal((await other.verify(await signTestToken(realm, { audience: 'other-api' }))).sub, 'test-user');
  });

  it('refuses a validly signed token without an expiry (keycloak-connect alone would accept it)', async () => {
    const { SignJWT } = await import('jose');
    const token = await new SignJWT({ typ: 'Bearer', realm_access: { roles: ['admin'] } })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('x')
      .setIssuer(realm.issuer)
      .sign(realm.privateKey);
    await assert.rejects(sut.verify(token), /no expiry/);
  });

  it('reads bearer tokens from an Authorization header only in the Bearer scheme', () => {
    assert.equal(bearerFromHeader('Bearer abc.def.ghi'), 'abc.def.ghi');
    assert.equal(bearerFromHeader('bearer abc'), 'abc');
    assert.equal(bearerFromHeader('Basic abc'), undefined);
    assert.equal(bearerFromHeader(undefined), undefined);
  });
});

import { afterEach, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createTestRealm, signTestToken, TestRealm } from '@fleet/testing';
import { AuthUser, InvalidTokenError, TokenVerifier, VerifiedTokenCache } from '../src';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const user = (sub: string, expMs: number): AuthUser => ({ sub, roles: ['robot'], exp: expMs / 1000 });

describe(VerifiedTokenCache.name, () => {
  it('returns what was stored for the same token, and nothing for another one', () => {
    const sut = new VerifiedTokenCache(10);
    const principal = user('robot-1', NOW + 60_000);
    sut.set('a.b.c', principal, NOW);
    assert.equal(sut.get('a.b.c', NOW), principal);
    assert.equal(sut.get('a.b.d', NOW), undefined);
  });

  it('never answers at or after the expiry, and forgets the entry then', () => {
    const sut = new VerifiedTokenCache(10);
    sut.set('a.b.c', user('robot-1', NOW + 1000), NOW);
    assert.ok(sut.get('a.b.c', NOW + 999));
    assert.equal(sut.get('a.b.c', NOW + 1000), undefined);
    assert.equal(sut.size, 0);
  });

  it('does not store a token that has already expired', () => {
    const sut = new VerifiedTokenCache(10);
    sut.set('a.b.c', user('robot-1', NOW - 1), NOW);
    assert.equal(sut.size, 0);
  });

  it('keeps at most its bound, dropping the least recently used', () => {
    const sut = new VerifiedTokenCache(2);
    sut.set('t1', user('one', NOW + 60_000), NOW);
    sut.set('t2', user('two', NOW + 60_000), NOW);
    assert.ok(sut.get('t1', NOW)); // t1 used last: t2 is now the least recently used
    sut.set('t3', user('three', NOW + 60_000), NOW);
    assert.equal(sut.size, 2);
    assert.equal(sut.get('t2', NOW), undefined);
    assert.equal(sut.get('t1', NOW)?.sub, 'one');
    assert.equal(sut.get('t3', NOW)?.sub, 'three');
  });
});

describe(`${TokenVerifier.name} with its cache`, () => {
  let realm: TestRealm;
  let sut: TokenVerifier;

  before(() => {
    realm = createTestRealm();
  });

  const verifier = (cachedTokens?: number) =>
    new TokenVerifier({ keycloakUrl: realm.keycloakUrl, realm: realm.realm, clientId: realm.clientId, realmPublicKey: realm.publicKeyBase64 }, { cachedTokens });

  afterEach(() => mock.timers.reset());

  it('answers a token seen before with the same principal, frozen so no request can change it for the next', async () => {
    sut = verifier();
    const token = await signTestToken(realm, { sub: 'robot-7', roles: ['robot'] });
    const first = await sut.verify(token);
    const second = await sut.verify(token);
    assert.equal(second, first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.roles));
  });

  it('without the cache, verifies every time (a new principal per call)', async () => {
    sut = verifier(0);
    const token = await signTestToken(realm, { sub: 'robot-7' });
    assert.notEqual(await sut.verify(token), await sut.verify(token));
    assert.deepEqual(await sut.verify(token), await sut.verify(token));
  });

  it('refuses a cached token once it has expired', async () => {
    sut = verifier();
    const token = await signTestToken(realm, { sub: 'robot-7', expiresIn: 60 });
    const { exp } = await sut.verify(token);
    // Only Date moves: the LRU's own timer (performance.now) still says the entry is fresh.
    mock.timers.enable({ apis: ['Date'], now: exp * 1000 + 1 });
    await assert.rejects(sut.verify(token), (error: Error) => error instanceof InvalidTokenError && /expired/.test(error.message));
  });

  it('does not confuse tokens: each gets its own principal, and an edited copy of a cached one is refused', async () => {
    sut = verifier();
    const a = await signTestToken(realm, { sub: 'robot-a', roles: ['robot'] });
    const b = await signTestToken(realm, { sub: 'robot-b', roles: ['drone'] });
    assert.equal((await sut.verify(a)).sub, 'robot-a');
    assert.equal((await sut.verify(b)).sub, 'robot-b');
    assert.equal((await sut.verify(a)).sub, 'robot-a');
    const [header, payload] = a.split('.');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await signTestToken(realm, { sub: 'robot-a', roles: ['robot'], signWith: privateKey });
    await assert.rejects(sut.verify(`${header}.${payload}.${forged.split('.')[2]}`), /signature/);
    await assert.rejects(sut.verify(`${header}.${payload}.`), InvalidTokenError);
  });

  it('keeps refusing a refused token (failures are never cached as successes)', async () => {
    sut = verifier();
    const expired = await signTestToken(realm, { expiresIn: -10 });
    await assert.rejects(sut.verify(expired), /expired/);
    await assert.rejects(sut.verify(expired), /expired/);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { rotateSigningKey } from '../src';
import { OPERATOR, postToken, ROBOT, RunningIdentity, startIdentity } from './helpers';

async function clientCredentials(identity: RunningIdentity, id: string, secret: string): Promise<string> {
  const response = await postToken(identity, { grant_type: 'client_credentials' }, { id, secret });
  assert.equal(response.status, 200, await response.clone().text());
  const body = await response.json() as { access_token: string; expires_in: number; token_type: string; refresh_token?: string };
  assert.equal(body.token_type, 'Bearer');
  assert.equal(body.expires_in, 300);
  assert.equal(body.refresh_token, undefined, 'no refresh token for client credentials (as Keycloak)');
  return body.access_token;
}

/** Runs one of the package's compiled CLIs against the test database. */
function runCli(script: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'src', script), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('tokens: client credentials, password grant, introspection, key rotation', () => {
  let identity: RunningIdentity;

  before(async () => {
    identity = await startIdentity();
  });
  after(async () => {
    await identity?.stop();
  });

  it('gives a robot a Keycloak-shaped token by client credentials: subject and azp name the client', async () => {
    const token = await clientCredentials(identity, ROBOT.clientId, ROBOT.secret);
    const jwks = createRemoteJWKSet(new URL(identity.endpoint('certs')));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: identity.issuer, algorithms: ['RS256'] });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid);
    assert.equal(payload.iss, identity.issuer);
    assert.equal(payload.sub, 'robot-01');
    assert.equal(payload.azp, 'robot-01');
    assert.equal(payload.typ, 'Bearer');
    assert.equal(payload.preferred_username, 'service-account-robot-01');
    assert.deepEqual((payload.realm_access as { roles: string[] }).roles, ['robot']);
    assert.equal(payload.exp! - payload.iat!, 300);
  });

  it('gives a drone client created at runtime its own subject and role (secret in the body works too)', async () => {
    const created = await identity.server.clients.create({ clientId: 'drone-07', serviceAccountsEnabled: true, serviceAccountRoles: ['drone'] });
    const response = await postToken(identity, { grant_type: 'client_credentials', client_id: 'drone-07', client_secret: created.secret! });
    assert.equal(response.status, 200);
    const { access_token: token } = await response.json() as { access_token: string };
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(identity.endpoint('certs'))), { issuer: identity.issuer });
    assert.equal(payload.sub, 'drone-07');
    assert.equal(payload.azp, 'drone-07');
    assert.deepEqual((payload.realm_access as { roles: string[] }).roles, ['drone']);
  });

  it('gives a user a token by the password grant where direct access grants are on, and refreshes it', async () => {
    const scripts = await identity.server.clients.create({ clientId: 'fleet-scripts-test', directAccessGrantsEnabled: true });
    const response = await postToken(identity, { grant_type: 'password', username: OPERATOR.username, password: OPERATOR.password }, { id: 'fleet-scripts-test', secret: scripts.secret! });
    assert.equal(response.status, 200, await response.clone().text());
    const tokens = await response.json() as { access_token: string; refresh_token: string; expires_in: number };
    assert.equal(tokens.expires_in, 300);
    const jwks = createRemoteJWKSet(new URL(identity.endpoint('certs')));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: identity.issuer });
    assert.equal(payload.azp, 'fleet-scripts-test');
    assert.equal(payload.preferred_username, 'operator');
    assert.equal(payload.typ, 'Bearer');
    assert.deepEqual((payload.realm_access as { roles: string[] }).roles, ['operator']);

    const wrong = await postToken(identity, { grant_type: 'password', username: OPERATOR.username, password: 'nope' }, { id: 'fleet-scripts-test', secret: scripts.secret! });
    assert.equal(wrong.status, 400);
    assert.deepEqual(await wrong.json(), { error: 'invalid_grant', error_description: 'Invalid user credentials' });

    const refreshed = await postToken(identity, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, { id: 'fleet-scripts-test', secret: scripts.secret! });
    assert.equal(refreshed.status, 200, await refreshed.clone().text());
    const next = await refreshed.json() as { access_token: string; refresh_token: string };
    assert.notEqual(next.refresh_token, tokens.refresh_token);
    const { payload: again } = await jwtVerify(next.access_token, jwks, { issuer: identity.issuer });
    assert.equal(again.sub, payload.sub);
    assert.equal(again.azp, 'fleet-scripts-test');

    // The refresh token can be introspected and revoked by its client; revoked, it no longer refreshes.
    const auth = `Basic ${Buffer.from(`fleet-scripts-test:${scripts.secret}`).toString('base64')}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: auth };
    const introspected = await fetch(identity.endpoint('token/introspect'), { method: 'POST', headers: form, body: new URLSearchParams({ token: next.refresh_token }).toString() });
    assert.equal(introspected.status, 200);
    const info = await introspected.json() as { active: boolean; client_id: string; token_type: string };
    assert.equal(info.active, true);
    assert.equal(info.client_id, 'fleet-scripts-test');
    const revoked = await fetch(`${identity.issuer}/protocol/openid-connect/revoke`, { method: 'POST', headers: form, body: new URLSearchParams({ token: next.refresh_token }).toString() });
    assert.equal(revoked.status, 200);
    const afterRevoke = await postToken(identity, { grant_type: 'refresh_token', refresh_token: next.refresh_token }, { id: 'fleet-scripts-test', secret: scripts.secret! });
    assert.equal(afterRevoke.status, 400);
  });

  it('gives a token by the password grant to a public client with direct access grants (like admin-cli)', async () => {
    await identity.server.clients.create({ clientId: 'fleet-public-cli', publicClient: true, directAccessGrantsEnabled: true });
    const response = await postToken(identity, { grant_type: 'password', client_id: 'fleet-public-cli', username: OPERATOR.username, password: OPERATOR.password });
    assert.equal(response.status, 200, await response.clone().text());
    const { access_token: token } = await response.json() as { access_token: string };
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(identity.endpoint('certs'))), { issuer: identity.issuer });
    assert.equal(payload.azp, 'fleet-public-cli');
    assert.equal(payload.preferred_username, 'operator');
  });

  it("puts a composite role's included roles in the token: the realm's admin is an operator too (as Keycloak)", async () => {
    const response = await postToken(identity, { grant_type: 'password', client_id: 'fleet-cli', username: 'admin', password: 'admin-dev-password-DEV-ONLY' });
    assert.equal(response.status, 200, await response.clone().text());
    const { access_token: token } = await response.json() as { access_token: string };
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(identity.endpoint('certs'))), { issuer: identity.issuer });
    assert.deepEqual([...(payload.realm_access as { roles: string[] }).roles].sort(), ['admin', 'operator']);
    const operator = await postToken(identity, { grant_type: 'password', client_id: 'fleet-cli', username: OPERATOR.username, password: OPERATOR.password });
    const { payload: operatorClaims } = await jwtVerify((await operator.json() as { access_token: string }).access_token, createRemoteJWKSet(new URL(identity.endpoint('certs'))), { issuer: identity.issuer });
    assert.deepEqual((operatorClaims.realm_access as { roles: string[] }).roles, ['operator'], 'a plain role includes nothing');
  });

  it('introspects access tokens for a confidential client, and refuses an unauthenticated caller', async () => {
    const token = await clientCredentials(identity, ROBOT.clientId, ROBOT.secret);
    const introspect = (auth: string | undefined, value: string) => fetch(identity.endpoint('token/introspect'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth ? { authorization: auth } : {}) },
      body: new URLSearchParams({ token: value }).toString(),
    });
    const basic = `Basic ${Buffer.from(`${ROBOT.clientId}:${ROBOT.secret}`).toString('base64')}`;
    const active = await introspect(basic, token);
    assert.equal(active.status, 200);
    const body = await active.json() as Record<string, unknown>;
    assert.equal(body.active, true);
    assert.equal(body.client_id, 'robot-01');
    assert.equal(body.username, 'service-account-robot-01');
    assert.deepEqual((body.realm_access as { roles: string[] }).roles, ['robot']);

    const tampered = await introspect(basic, `${token.slice(0, -4)}AAAA`);
    assert.deepEqual(await tampered.json(), { active: false });
    const unauthenticated = await introspect(undefined, token);
    assert.equal(unauthenticated.status, 401);
    const wrongSecret = await introspect(`Basic ${Buffer.from(`${ROBOT.clientId}:nope`).toString('base64')}`, token);
    assert.equal(wrongSecret.status, 401);
  });

  it('rotates the signing key: old tokens still verify against /certs, new ones carry the new kid', async () => {
    const jwks = createRemoteJWKSet(new URL(identity.endpoint('certs')));
    const before = await clientCredentials(identity, ROBOT.clientId, ROBOT.secret);
    const oldKid = decodeProtectedHeader(before).kid;

    const newKid = await rotateSigningKey(identity.server.pool);
    assert.notEqual(newKid, oldKid);

    const certs = await (await fetch(identity.endpoint('certs'))).json() as { keys: { kid: string }[] };
    assert.deepEqual(certs.keys.map((k) => k.kid), [newKid, oldKid], 'both published, newest first');

    const after = await clientCredentials(identity, ROBOT.clientId, ROBOT.secret);
    assert.equal(decodeProtectedHeader(after).kid, newKid);
    // A fresh key set (as a service restarted now would fetch it) verifies both.
    const fresh = createRemoteJWKSet(new URL(identity.endpoint('certs')));
    await jwtVerify(before, fresh, { issuer: identity.issuer });
    await jwtVerify(after, fresh, { issuer: identity.issuer });
    // The cached one refetches on the unknown kid.
    await jwtVerify(after, jwks, { issuer: identity.issuer });
  });

  it('rotates with the CLI in another process; the running provider picks the key up on its next request', async () => {
    const before = await clientCredentials(identity, ROBOT.clientId, ROBOT.secret);
    const result = await runCli('rotate-key.js', { DATABASE_URL: identity.config.databaseUrl });
    assert.equal(result.code, 0, result.stderr);
    const newKid = result.stdout.trim();
    const after = await clientCredentials(identity, ROBOT.clientId, ROBOT.secret);
    assert.equal(decodeProtectedHeader(after).kid, newKid);
    const certs = await (await fetch(identity.endpoint('certs'))).json() as { keys: { kid: string }[] };
    assert.equal(certs.keys[0].kid, newKid);
    assert.ok(certs.keys.some((k) => k.kid === decodeProtectedHeader(before).kid));
    await jwtVerify(before, createRemoteJWKSet(new URL(identity.endpoint('certs'))), { issuer: identity.issuer });
  });

  it('answers /health while Postgres answers, and the realm document like Keycloak', async () => {
    const health = await fetch(`${identity.base}/health`);
    assert.equal(health.status, 200);
    const realm = await (await fetch(identity.issuer)).json() as Record<string, unknown>;
    assert.equal(realm.realm, 'fleet');
    assert.match(String(realm.public_key), /^MII/);
    // keycloak-js's third-party-cookie check gets its answer at once (no 10 s wait).
    const step1 = await fetch(`${identity.issuer}/protocol/openid-connect/3p-cookies/step1.html`);
    assert.equal(step1.status, 200);
    assert.match(await step1.text(), /parent\.postMessage\('unsupported', '\*'\)/);
    assert.match(step1.headers.get('content-security-policy') ?? '', /script-src 'sha256-/);
    const unknownRealm = await fetch(`${identity.base}/keycloak/realms/other/.well-known/openid-configuration`);
    assert.equal(unknownRealm.status, 404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { adminClient, AUDITOR, clientToken, postToken, PROVISIONER, ROBOT, RunningIdentity, startIdentity } from './helpers';

/** The HTTP status the admin client's call failed with. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
  } catch (error) {
    const status = (error as { response?: { status?: number } }).response?.status;
    if (status) return status;
    throw error;
  }
  throw new Error('the call succeeded');
}

async function tokenStatus(identity: RunningIdentity, id: string, secret: string): Promise<number> {
  const response = await postToken(identity, { grant_type: 'client_credentials' }, { id, secret });
  await response.body?.cancel();
  return response.status;
}

async function tokenClaims(identity: RunningIdentity, id: string, secret: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(await clientToken(identity, id, secret), createRemoteJWKSet(new URL(identity.endpoint('certs'))), { issuer: identity.issuer, algorithms: ['RS256'] });
  return payload;
}

describe('Admin REST API (the Keycloak subset the services use), through @keycloak/keycloak-admin-client', () => {
  let identity: RunningIdentity;
  let admin: KeycloakAdminClient;

  before(async () => {
    identity = await startIdentity();
    admin = await adminClient(identity, PROVISIONER);
  });
  after(async () => {
    await identity?.stop();
  });

  it('gives the provisioner a token carrying its realm-management roles, as Keycloak does', async () => {
    const claims = await tokenClaims(identity, PROVISIONER.clientId, PROVISIONER.secret);
    assert.equal(claims.azp, PROVISIONER.clientId);
    const access = claims.resource_access as Record<string, { roles: string[] }>;
    assert.ok(access['realm-management'].roles.includes('manage-clients'));
  });

  it('provisions a robot: client with a service account, realm role robot, a token whose azp and sub name it', async () => {
    const { id } = await admin.clients.create({
      clientId: 'robot-07', name: 'Robot 07', description: 'provisioned by base', enabled: true, publicClient: false,
      serviceAccountsEnabled: true, standardFlowEnabled: false, directAccessGrantsEnabled: false,
    });
    assert.match(id, /^[0-9a-f-]{36}$/);

    const found = await admin.clients.find({ clientId: 'robot-07' });
    assert.equal(found.length, 1);
    assert.equal(found[0].id, id);
    assert.equal(found[0].serviceAccountsEnabled, true);
    assert.deepEqual(await admin.clients.find({ clientId: 'robot-0' }), [], 'clientId is an exact match unless search=true');
    const one = await admin.clients.findOne({ id });
    assert.equal(one?.clientId, 'robot-07');
    assert.equal(one?.description, 'provisioned by base');
    assert.equal(await admin.clients.findOne({ id: '00000000-0000-4000-8000-000000000000' }), null, 'unknown id: 404');

    const { value: secret } = await admin.clients.getClientSecret({ id });
    assert.ok(secret && secret.length >= 32);

    const serviceAccount = await admin.clients.getServiceAccountUser({ id });
    assert.equal(serviceAccount.username, 'service-account-robot-07');
    assert.equal(serviceAccount.serviceAccountClientId, 'robot-07');
    const robotRole = await admin.roles.findOneByName({ name: 'robot' });
    assert.equal(robotRole?.name, 'robot');
    assert.equal(await admin.roles.findOneByName({ name: 'no-such-role' }), null);
    assert.ok((await admin.roles.find()).some((r) => r.name === 'robot'));

    // Before the mapping the client's token has no role; after it, ['robot'].
    assert.deepEqual((await tokenClaims(identity, 'robot-07', secret!)).realm_access, { roles: [] });
    await admin.users.addRealmRoleMappings({ id: serviceAccount.id!, roles: [{ id: robotRole!.id!, name: robotRole!.name! }] });
    const mapped = await admin.users.listRealmRoleMappings({ id: serviceAccount.id! });
    assert.deepEqual(mapped.map((r) => r.name), ['robot']);
    assert.equal(await statusOf(admin.users.addRealmRoleMappings({ id: serviceAccount.id!, roles: [{ id: 'nope', name: 'robot' }] })), 404);

    const claims = await tokenClaims(identity, 'robot-07', secret!);
    assert.equal(claims.sub, 'robot-07');
    assert.equal(claims.azp, 'robot-07');
    assert.equal(claims.preferred_username, 'service-account-robot-07');
    assert.deepEqual((claims.realm_access as { roles: string[] }).roles, ['robot']);
    assert.equal(claims.resource_access, undefined, 'a robot has no admin roles');

    // All of it survives a restart of the provider (Postgres).
    await identity.restart();
    const again = await adminClient(identity, PROVISIONER);
    assert.equal((await again.clients.find({ clientId: 'robot-07' }))[0]?.id, id);
    assert.deepEqual((await again.users.listRealmRoleMappings({ id: serviceAccount.id! })).map((r) => r.name), ['robot']);
    assert.deepEqual(((await tokenClaims(identity, 'robot-07', secret!)).realm_access as { roles: string[] }).roles, ['robot']);
  });

  it('regenerates a secret: the old one is refused at once, the new one works', async () => {
    const { id } = await admin.clients.create({ clientId: 'drone-08', publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false });
    const { value: old } = await admin.clients.getClientSecret({ id });
    assert.equal(await tokenStatus(identity, 'drone-08', old!), 200);

    const regenerated = await admin.clients.generateNewClientSecret({ id });
    assert.equal(regenerated.type, 'secret');
    assert.ok(regenerated.value && regenerated.value !== old);
    assert.equal(await tokenStatus(identity, 'drone-08', old!), 401);
    assert.equal(await tokenStatus(identity, 'drone-08', regenerated.value!), 200);
    assert.equal((await admin.clients.getClientSecret({ id })).value, regenerated.value);
  });

  it('disables and re-enables a client with PUT: a disabled client gets no token', async () => {
    const { id } = await admin.clients.create({ clientId: 'robot-09', secret: 'robot-09-secret', publicClient: false, serviceAccountsEnabled: true, standardFlowEnabled: false });
    assert.equal(await tokenStatus(identity, 'robot-09', 'robot-09-secret'), 200);

    await admin.clients.update({ id }, { enabled: false, description: 'retired' });
    const disabled = await admin.clients.findOne({ id });
    assert.equal(disabled?.enabled, false);
    assert.equal(disabled?.description, 'retired');
    assert.equal(disabled?.serviceAccountsEnabled, true, 'fields not sent are kept');
    assert.equal(await tokenStatus(identity, 'robot-09', 'robot-09-secret'), 401);

    await admin.clients.update({ id }, { enabled: true });
    assert.equal(await tokenStatus(identity, 'robot-09', 'robot-09-secret'), 200);

    await admin.clients.del({ id });
    assert.equal(await admin.clients.findOne({ id }), null);
    assert.equal(await tokenStatus(identity, 'robot-09', 'robot-09-secret'), 401);
  });

  it('answers 409 for a clientId that exists (created at runtime or from the realm file)', async () => {
    await admin.clients.create({ clientId: 'robot-10', serviceAccountsEnabled: true, standardFlowEnabled: false });
    assert.equal(await statusOf(admin.clients.create({ clientId: 'robot-10', serviceAccountsEnabled: true })), 409);
    assert.equal(await statusOf(admin.clients.create({ clientId: ROBOT.clientId, serviceAccountsEnabled: true })), 409);
    assert.equal(await statusOf(admin.clients.create({ clientId: 'bad id!' })), 400);
  });

  it('creates users, finds them by username, and maps realm roles', async () => {
    const { id } = await admin.users.create({ username: 'Station-Engineer', email: 'engineer@fleet.localhost', enabled: true, firstName: 'Ada' });
    const found = await admin.users.find({ username: 'station-engineer', exact: true });
    assert.deepEqual(found.map((u) => u.id), [id]);
    assert.equal(found[0].firstName, 'Ada');
    assert.ok((await admin.users.find({ username: 'operator', exact: true })).length === 1, 'the realm file\'s users are found too');
    assert.deepEqual(await admin.users.find({ username: 'service-account-robot-01', exact: true }), [], 'service accounts are not listed');
    assert.equal(await statusOf(admin.users.create({ username: 'station-engineer' })), 409);
    assert.equal(await statusOf(admin.users.create({ username: 'operator' })), 409);

    const operator = await admin.roles.findOneByName({ name: 'operator' });
    await admin.users.addRealmRoleMappings({ id, roles: [{ id: operator!.id!, name: 'operator' }] });
    assert.deepEqual((await admin.users.listRealmRoleMappings({ id })).map((r) => r.name), ['operator']);
    await admin.users.delRealmRoleMappings({ id, roles: [{ id: operator!.id!, name: 'operator' }] });
    assert.deepEqual(await admin.users.listRealmRoleMappings({ id }), []);
  });

  it('refuses a caller without the realm-management role (403) and one without a token (401)', async () => {
    const robot = await adminClient(identity, ROBOT);
    assert.equal(await statusOf(robot.clients.find({ clientId: 'robot-07' })), 403);
    assert.equal(await statusOf(robot.clients.create({ clientId: 'robot-evil', serviceAccountsEnabled: true })), 403);

    const auditor = await adminClient(identity, AUDITOR);
    assert.equal((await auditor.clients.find({ clientId: ROBOT.clientId })).length, 1, 'view-clients may look');
    assert.equal(await statusOf(auditor.clients.create({ clientId: 'robot-evil', serviceAccountsEnabled: true })), 403);
    const [robot01] = await auditor.clients.find({ clientId: ROBOT.clientId });
    assert.equal(await statusOf(auditor.clients.generateNewClientSecret({ id: robot01.id! })), 403);
    assert.equal(await statusOf(auditor.users.create({ username: 'nobody' })), 403);

    const base = `${identity.base}/keycloak/admin/realms/fleet`;
    assert.equal((await fetch(`${base}/clients`)).status, 401);
    assert.equal((await fetch(`${base}/clients`, { headers: { authorization: 'Bearer not-a-token' } })).status, 401);
    const forged = `${admin.accessToken!.slice(0, -6)}AAAAAA`;
    assert.equal((await fetch(`${base}/clients`, { headers: { authorization: `Bearer ${forged}` } })).status, 401);
    assert.equal((await fetch(`${identity.base}/keycloak/admin/realms/other/clients`, { headers: { authorization: `Bearer ${admin.accessToken}` } })).status, 404);
    assert.equal((await fetch(`${base}/clients`, { headers: { authorization: `Bearer ${admin.accessToken}` } })).status, 200);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type KeycloakAdminClient from '@keycloak/keycloak-admin-client';
import { ClientProvisioner, fleetAudienceMapper, InvalidTokenError, TokenVerifier } from '@fleet/auth';
import {
  adminClient, Browser, clientToken, CONSOLE_REDIRECT, OPERATOR, pkcePair, postToken, PROVISIONER, ROBOT, RunningIdentity, signIn, startIdentity,
} from './helpers';
import { DEFAULT_REALM_FILE, loadRealm, mappedAudiences } from '../src';

const audiences = (token: string): string[] => {
  const { aud } = decodeJwt(token);
  return Array.isArray(aud) ? aud : [aud!];
};

/**
 * Tokens name `fleet-api` in `aud` only for clients whose audience mapper says so (the realm
 * file's fleet clients, and the robots and drones the services provision); a service's
 * TokenVerifier (libs/auth, as each service builds it: realm key fetched from the provider) takes
 * exactly those.
 */
describe('audience: the realm\'s audience mappers decide which tokens the services take', () => {
  let identity: RunningIdentity;
  let service: TokenVerifier;
  let admin: KeycloakAdminClient;

  before(async () => {
    identity = await startIdentity();
    service = new TokenVerifier({ keycloakUrl: `${identity.base}/keycloak`, realm: 'fleet', clientId: 'fleet-api' });
    admin = await adminClient(identity, PROVISIONER);
  });
  after(async () => {
    await identity?.stop();
  });

  it('has the mapper, in the realm file, on every client that calls the services, and only on those', () => {
    const withFleetAudience = loadRealm(DEFAULT_REALM_FILE).clients
      .filter((client) => mappedAudiences(client.protocolMappers ?? []).includes('fleet-api')).map((client) => client.clientId);
    assert.deepEqual(withFleetAudience.sort(), ['drone-01', 'fleet-cli', 'fleet-console', 'robot-01']);
  });

  it('gives the realm file\'s robot (audience mapper) aud fleet-api, and a service takes its token', async () => {
    const token = await clientToken(identity, ROBOT.clientId, ROBOT.secret);
    assert.deepEqual(audiences(token), ['fleet-api']);
    const user = await service.verify(token);
    assert.equal(user.clientId, 'robot-01');
    assert.deepEqual(user.roles, ['robot']);
  });

  it('gives the console (code flow, refreshed) and the command line (password grant) aud fleet-api', async () => {
    const pkce = pkcePair();
    const { code } = await signIn(identity, new Browser(), pkce);
    const exchanged = await (await postToken(identity, {
      grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: CONSOLE_REDIRECT, code_verifier: pkce.verifier,
    })).json() as { access_token: string; refresh_token: string };
    assert.deepEqual(audiences(exchanged.access_token), ['fleet-api']);
    assert.equal((await service.verify(exchanged.access_token)).username, OPERATOR.username);
    const refreshed = await (await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: exchanged.refresh_token })).json() as { access_token: string };
    assert.deepEqual(audiences(refreshed.access_token), ['fleet-api']);

    const cli = await (await postToken(identity, { grant_type: 'password', client_id: 'fleet-cli', ...OPERATOR })).json() as { access_token: string };
    assert.deepEqual(audiences(cli.access_token), ['fleet-api']);
    assert.deepEqual((await service.verify(cli.access_token)).roles, ['operator']);
  });

  it('gives a client without the mapper no fleet-api audience, and a service refuses its genuine token, saying why', async () => {
    const provisioner = await clientToken(identity, PROVISIONER.clientId, PROVISIONER.secret);
    assert.deepEqual(audiences(provisioner), ['realm-management'], 'Keycloak\'s audience resolve: the clients whose roles it has');
    await assert.rejects(service.verify(provisioner), (error: Error) => error instanceof InvalidTokenError
      && /not meant for fleet-api: its audience is realm-management, issued to client fleet-provisioner/.test(error.message));

    const other = await identity.server.clients.create({ clientId: 'other-app', serviceAccountsEnabled: true, serviceAccountRoles: ['admin'] });
    const token = await clientToken(identity, 'other-app', other.secret!);
    assert.deepEqual(audiences(token), ['account'], 'no mapper: the audience Keycloak\'s default roles give');
    await assert.rejects(service.verify(token), /not meant for fleet-api: its audience is account, issued to client other-app/);
  });

  it('follows a mapper added through the Admin REST API: the next token names fleet-api', async () => {
    const created = await identity.server.clients.create({ clientId: 'late-robot', serviceAccountsEnabled: true, serviceAccountRoles: ['robot'] });
    await assert.rejects(service.verify(await clientToken(identity, 'late-robot', created.secret!)), /not meant for fleet-api/);
    await admin.clients.addProtocolMapper({ id: created.id }, fleetAudienceMapper('fleet-api'));
    const mappers = await admin.clients.listProtocolMappers({ id: created.id });
    assert.deepEqual(mappers.map((m) => [m.name, m.protocolMapper, m.config?.['included.client.audience']]), [['fleet-api audience', 'oidc-audience-mapper', 'fleet-api']]);
    assert.ok(mappers[0].id);
    const token = await clientToken(identity, 'late-robot', created.secret!);
    assert.deepEqual(audiences(token), ['fleet-api']);
    assert.equal((await service.verify(token)).clientId, 'late-robot');

    const again = await admin.clients.addProtocolMapper({ id: created.id }, fleetAudienceMapper('fleet-api')).then(() => 201, (e: { response?: { status: number } }) => e.response?.status);
    assert.equal(again, 409, 'mapper names are unique per client');
    const off = { ...fleetAudienceMapper('fleet-api'), name: 'switched off', config: { 'included.client.audience': 'other-api', 'access.token.claim': 'false' } };
    await admin.clients.addProtocolMapper({ id: created.id }, off);
    assert.deepEqual(audiences(await clientToken(identity, 'late-robot', created.secret!)), ['fleet-api'], 'a mapper off for access tokens adds nothing');
  });

  it('lets the services\' ClientProvisioner make robots whose tokens they take, and adopt a client without the mapper', async () => {
    const provisioner = new ClientProvisioner({ keycloakUrl: `${identity.base}/keycloak`, realm: 'fleet', clientId: 'fleet-api', provisioner: PROVISIONER });
    const made = await provisioner.provision('robot-made', 'robot');
    const token = await clientToken(identity, 'robot-made', made.secret!);
    assert.deepEqual(audiences(token), ['fleet-api']);
    assert.deepEqual((await service.verify(token)).roles, ['robot']);

    const byHand = await identity.server.clients.create({ clientId: 'robot-by-hand', serviceAccountsEnabled: true });
    assert.deepEqual(audiences(await clientToken(identity, 'robot-by-hand', byHand.secret!)), ['account']);
    assert.equal((await provisioner.provision('robot-by-hand', 'robot')).secret, null, 'adopted: its secret is not shown');
    assert.equal((await provisioner.provision('robot-by-hand', 'robot')).secret, null, 'adopting twice adds no second mapper');
    assert.equal((await identity.server.clients.find('robot-by-hand'))!.protocolMappers.length, 1);
    const adopted = await service.verify(await clientToken(identity, 'robot-by-hand', byHand.secret!));
    assert.deepEqual(adopted.roles, ['robot']);
  });
});

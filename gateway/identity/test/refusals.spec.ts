import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizeUrl, Browser, CONSOLE_REDIRECT, LOCKED_USER, OPERATOR, parseLoginForm, pkcePair, postToken, ROBOT, RunningIdentity, signIn, startIdentity,
} from './helpers';

async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: string }).error;
}

describe('what the provider refuses', () => {
  let identity: RunningIdentity;

  before(async () => {
    identity = await startIdentity();
  });
  after(async () => {
    await identity?.stop();
  });

  async function codeFor(pkce = pkcePair()): Promise<{ code: string; verifier: string }> {
    const { code } = await signIn(identity, new Browser(), pkce);
    return { code, verifier: pkce.verifier };
  }

  it('refuses a code exchange with a wrong PKCE verifier', async () => {
    const { code } = await codeFor();
    const response = await postToken(identity, {
      grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: CONSOLE_REDIRECT, code_verifier: pkcePair().verifier,
    });
    assert.equal(response.status, 400);
    assert.equal(await errorOf(response), 'invalid_grant');
  });

  it('refuses a code exchange without a PKCE verifier', async () => {
    const { code } = await codeFor();
    const response = await postToken(identity, { grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: CONSOLE_REDIRECT });
    assert.equal(response.status, 400);
    assert.equal(await errorOf(response), 'invalid_grant');
  });

  it('refuses a code exchange with another redirect URI than the authorization used', async () => {
    const { code, verifier } = await codeFor();
    const response = await postToken(identity, {
      grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: 'http://127.0.0.1:8080/other', code_verifier: verifier,
    });
    assert.equal(response.status, 400);
    assert.equal(await errorOf(response), 'invalid_grant');
  });

  it('refuses an authorization request without PKCE, or with plain PKCE', async () => {
    const pkce = pkcePair();
    for (const params of [{}, { code_challenge: pkce.verifier, code_challenge_method: 'plain' }]) {
      const response = await new Browser().request(authorizeUrl(identity, params));
      assert.equal(response.status, 303);
      const location = new URL(response.headers.get('location')!);
      assert.ok(location.href.startsWith(CONSOLE_REDIRECT), location.href);
      assert.equal(location.searchParams.get('error'), 'invalid_request', location.href);
      assert.doesNotMatch(location.href, /[?&]code=/);
    }
  });

  it('refuses an unregistered redirect URI without redirecting to it', async () => {
    const pkce = pkcePair();
    for (const redirect of ['http://evil.example/', 'http://127.0.0.1:9999/', 'http://127.0.0.1:8080/#fragment', 'https://127.0.0.1:8080/']) {
      const response = await new Browser().request(authorizeUrl(identity, { redirect_uri: redirect, code_challenge: pkce.challenge, code_challenge_method: 'S256' }));
      assert.equal(response.status, 400, redirect);
      assert.equal(response.headers.get('location'), null);
      assert.match(await response.text(), /redirect_uri/);
    }
  });

  it('refuses a wrong client secret and an unknown client', async () => {
    const wrong = await postToken(identity, { grant_type: 'client_credentials' }, { id: ROBOT.clientId, secret: 'wrong-secret' });
    assert.equal(wrong.status, 401);
    assert.equal(await errorOf(wrong), 'invalid_client');
    const inBody = await postToken(identity, { grant_type: 'client_credentials', client_id: ROBOT.clientId, client_secret: 'wrong-secret' });
    assert.equal(inBody.status, 401);
    const unknown = await postToken(identity, { grant_type: 'client_credentials' }, { id: 'robot-99', secret: 'x' });
    assert.equal(unknown.status, 401);
    assert.equal(await errorOf(unknown), 'invalid_client');
  });

  it('refuses a disabled client, and accepts it again once enabled', async () => {
    const created = await identity.server.clients.create({ clientId: 'robot-77', serviceAccountsEnabled: true, serviceAccountRoles: ['robot'] });
    const ok = await postToken(identity, { grant_type: 'client_credentials' }, { id: 'robot-77', secret: created.secret! });
    assert.equal(ok.status, 200);
    await identity.server.clients.setEnabled('robot-77', false);
    const disabled = await postToken(identity, { grant_type: 'client_credentials' }, { id: 'robot-77', secret: created.secret! });
    assert.equal(disabled.status, 401);
    assert.equal(await errorOf(disabled), 'invalid_client');
    await identity.server.clients.setEnabled('robot-77', true);
    const again = await postToken(identity, { grant_type: 'client_credentials' }, { id: 'robot-77', secret: created.secret! });
    assert.equal(again.status, 200);
  });

  it('refuses the old secret after the secret was regenerated', async () => {
    const created = await identity.server.clients.create({ clientId: 'drone-42', serviceAccountsEnabled: true, serviceAccountRoles: ['drone'] });
    const secret = await identity.server.clients.regenerateSecret('drone-42');
    assert.ok(secret && secret !== created.secret);
    const old = await postToken(identity, { grant_type: 'client_credentials' }, { id: 'drone-42', secret: created.secret! });
    assert.equal(old.status, 401);
    const fresh = await postToken(identity, { grant_type: 'client_credentials' }, { id: 'drone-42', secret });
    assert.equal(fresh.status, 200);
  });

  it('refuses the password grant to a client without direct access grants', async () => {
    const consoleAnswer = await postToken(identity, { grant_type: 'password', client_id: 'fleet-console', username: OPERATOR.username, password: OPERATOR.password });
    assert.equal(consoleAnswer.status, 400);
    assert.match(await consoleAnswer.text(), /grant type is not allowed for this client/);
    const robot = await postToken(identity, { grant_type: 'password', username: OPERATOR.username, password: OPERATOR.password }, { id: ROBOT.clientId, secret: ROBOT.secret });
    assert.equal(robot.status, 400);
    assert.match(await robot.text(), /grant type is not allowed for this client/);
  });

  it('refuses client credentials to the public console client', async () => {
    const response = await postToken(identity, { grant_type: 'client_credentials', client_id: 'fleet-console' });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /grant type is not allowed for this client/);
  });

  it('locks an account after 5 failed sign-ins, even for the right password, and says so', async () => {
    const browser = new Browser();
    const pkce = pkcePair();
    const start = await browser.follow(authorizeUrl(identity, { code_challenge: pkce.challenge, code_challenge_method: 'S256' }), identity.base);
    const { action, csrf } = parseLoginForm(await start.response.text());
    const url = new URL(action, identity.base).href;
    for (let i = 1; i <= 4; i++) {
      const wrong = await browser.postForm(url, { csrf, username: LOCKED_USER.username, password: `wrong-${i}` });
      assert.equal(wrong.status, 401, `attempt ${i}`);
      assert.match(await wrong.text(), /Invalid username or password\./);
    }
    const fifth = await browser.postForm(url, { csrf, username: LOCKED_USER.username, password: 'wrong-5' });
    assert.equal(fifth.status, 429);
    assert.match(await fifth.text(), /temporarily locked/);
    const right = await browser.postForm(url, { csrf, username: LOCKED_USER.username, password: LOCKED_USER.password });
    assert.equal(right.status, 429);
    assert.equal(right.headers.get('retry-after'), '60');
    assert.match(await right.text(), /temporarily locked/);

    // The password grant is locked too (the lock is per account, not per page).
    const scripts = await identity.server.clients.create({ clientId: 'fleet-scripts', directAccessGrantsEnabled: true });
    const grant = await postToken(identity, { grant_type: 'password', username: LOCKED_USER.username, password: LOCKED_USER.password }, { id: 'fleet-scripts', secret: scripts.secret! });
    assert.equal(grant.status, 400);
    assert.match(await grant.text(), /temporarily locked/);

    // Other accounts are not affected.
    const other = await postToken(identity, { grant_type: 'password', username: OPERATOR.username, password: OPERATOR.password }, { id: 'fleet-scripts', secret: scripts.secret! });
    assert.equal(other.status, 200);
  });
});

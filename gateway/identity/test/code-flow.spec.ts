import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  authorizeUrl, Browser, CONSOLE_REDIRECT, OPERATOR, parseLoginForm, pkcePair, postToken, RunningIdentity, signIn, startIdentity,
} from './helpers';

describe('authorization code flow with PKCE (fleet-console), over HTTP with a cookie jar', () => {
  let identity: RunningIdentity;

  before(async () => {
    identity = await startIdentity();
  });
  after(async () => {
    await identity?.stop();
  });

  it('publishes Keycloak paths in its discovery document, with the public issuer', async () => {
    const response = await fetch(`${identity.issuer}/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    const doc = await response.json() as Record<string, unknown>;
    assert.equal(doc.issuer, `${identity.base}/keycloak/realms/fleet`);
    const oidc = `${identity.issuer}/protocol/openid-connect`;
    assert.equal(doc.authorization_endpoint, `${oidc}/auth`);
    assert.equal(doc.token_endpoint, `${oidc}/token`);
    assert.equal(doc.jwks_uri, `${oidc}/certs`);
    assert.equal(doc.userinfo_endpoint, `${oidc}/userinfo`);
    assert.equal(doc.end_session_endpoint, `${oidc}/logout`);
    assert.equal(doc.introspection_endpoint, `${oidc}/token/introspect`);
    assert.deepEqual(doc.code_challenge_methods_supported, ['S256']);
  });

  it('uses the forwarded host and scheme for endpoints when behind the gateway', async () => {
    const response = await fetch(`${identity.base}/realms/fleet/.well-known/openid-configuration`, {
      headers: { 'x-forwarded-host': 'fleet.localhost:8080', 'x-forwarded-proto': 'http' },
    });
    assert.equal(response.status, 200);
    const doc = await response.json() as Record<string, string>;
    assert.equal(doc.issuer, identity.issuer, 'the issuer is fixed by configuration');
    assert.equal(doc.token_endpoint, 'http://fleet.localhost:8080/keycloak/realms/fleet/protocol/openid-connect/token');
  });

  it('signs in, exchanges the code with the verifier, refreshes with rotation, and logs out', async () => {
    const browser = new Browser();
    const pkce = pkcePair();

    // Login page: server-rendered, no external assets, a CSRF token.
    const start = await browser.follow(authorizeUrl(identity, { code_challenge: pkce.challenge, code_challenge_method: 'S256', state: 'st-1' }), identity.base);
    assert.equal(start.response.status, 200);
    assert.match(start.response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const page = await start.response.text();
    assert.doesNotMatch(page, /<script|<link|src="http/);
    const { action, csrf } = parseLoginForm(page);
    const actionUrl = new URL(action, identity.base).href;

    // A form without the CSRF token is refused.
    const forged = await browser.postForm(actionUrl, { csrf: 'forged', username: OPERATOR.username, password: OPERATOR.password });
    assert.equal(forged.status, 403);

    // Wrong password: a clear error, still on the login page.
    const wrong = await browser.postForm(actionUrl, { csrf, username: OPERATOR.username, password: 'not-the-password' });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /Invalid username or password\./);

    // Right password: back to the console with a code.
    const right = await browser.postForm(actionUrl, { csrf, username: OPERATOR.username, password: OPERATOR.password });
    assert.equal(right.status, 303);
    const { location } = await browser.follow(new URL(right.headers.get('location')!, identity.base).href, identity.base);
    assert.ok(location?.startsWith(CONSOLE_REDIRECT), location);
    const redirect = new URL(location!);
    assert.equal(redirect.searchParams.get('state'), 'st-1');
    assert.equal(redirect.searchParams.get('iss'), identity.issuer);
    const code = redirect.searchParams.get('code')!;

    // As keycloak-js sends it from the console's origin (credentials included): CORS allows that origin.
    const exchanged = await fetch(identity.endpoint('token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:8080' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: CONSOLE_REDIRECT, code_verifier: pkce.verifier,
      }).toString(),
    });
    assert.equal(exchanged.status, 200);
    assert.equal(exchanged.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8080');
    assert.equal(exchanged.headers.get('access-control-allow-credentials'), 'true');
    const tokens = await exchanged.json() as { access_token: string; refresh_token: string; id_token: string; expires_in: number; token_type: string };
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.expires_in, 300);
    assert.ok(tokens.refresh_token && tokens.id_token);
    // keycloak-js decodes the refresh token: it is JWT-shaped like Keycloak's (typ Refresh).
    const refreshClaims = decodeJwt(tokens.refresh_token);
    assert.equal(refreshClaims.typ, 'Refresh');
    assert.equal(refreshClaims.azp, 'fleet-console');
    assert.equal(refreshClaims.iss, identity.issuer);
    assert.equal(decodeJwt(tokens.id_token).azp ?? 'fleet-console', 'fleet-console');

    // The access token is a Keycloak-shaped JWT, verified against /certs.
    const jwks = createRemoteJWKSet(new URL(identity.endpoint('certs')));
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, { issuer: identity.issuer, algorithms: ['RS256'] });
    assert.equal(protectedHeader.alg, 'RS256');
    const certs = await (await fetch(identity.endpoint('certs'))).json() as { keys: { kid: string; d?: string }[] };
    assert.ok(certs.keys.some((k) => k.kid === protectedHeader.kid), 'kid published at /certs');
    assert.ok(certs.keys.every((k) => k.d === undefined), 'no private parts published');
    assert.equal(payload.iss, identity.issuer);
    assert.equal(payload.azp, 'fleet-console');
    assert.equal(payload.typ, 'Bearer');
    assert.equal(payload.preferred_username, 'operator');
    assert.deepEqual((payload.realm_access as { roles: string[] }).roles, ['operator']);
    assert.match(String(payload.sub), /^[0-9a-f-]{36}$/);
    assert.equal(payload.exp! - payload.iat!, 300);

    // Userinfo answers for it.
    const userinfo = await fetch(identity.endpoint('userinfo'), { headers: { authorization: `Bearer ${tokens.access_token}`, origin: 'http://127.0.0.1:8080' } });
    assert.equal(userinfo.status, 200);
    assert.equal(userinfo.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8080');
    const foreign = await fetch(identity.endpoint('userinfo'), { headers: { authorization: `Bearer ${tokens.access_token}`, origin: 'http://evil.example' } });
    assert.equal(foreign.headers.get('access-control-allow-origin'), null);
    const info = await userinfo.json() as Record<string, unknown>;
    assert.equal(info.sub, payload.sub);
    assert.equal(info.preferred_username, 'operator');
    assert.equal(info.email, 'operator@fleet.localhost');

    // Refresh: a new refresh token; using it again works, the consumed one is refused.
    const refreshed = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200);
    const second = await refreshed.json() as { access_token: string; refresh_token: string };
    assert.notEqual(second.refresh_token, tokens.refresh_token);
    const { payload: refreshedPayload } = await jwtVerify(second.access_token, jwks, { issuer: identity.issuer });
    assert.equal(refreshedPayload.sub, payload.sub);
    assert.deepEqual((refreshedPayload.realm_access as { roles: string[] }).roles, ['operator']);

    const third = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: second.refresh_token });
    assert.equal(third.status, 200);
    const { refresh_token: liveRefresh } = await third.json() as { refresh_token: string };

    // Logout (RP-initiated, with the ID token hint): as in Keycloak, no question asked: the page
    // submits its form (logout=yes included) by itself, allowed by its CSP's script hash.
    const logoutUrl = new URL(identity.endpoint('logout'));
    logoutUrl.searchParams.set('id_token_hint', tokens.id_token);
    logoutUrl.searchParams.set('post_logout_redirect_uri', CONSOLE_REDIRECT);
    const confirm = await browser.request(logoutUrl.href);
    assert.equal(confirm.status, 200);
    const confirmPage = await confirm.text();
    const logoutAction = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(confirmPage)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirmPage)?.[1];
    assert.ok(logoutAction && xsrf, confirmPage);
    assert.match(confirmPage, /<input type="hidden" name="logout" value="yes"><\/form>/);
    const script = /<script>([^<]+)<\/script>/.exec(confirmPage)?.[1];
    assert.equal(script, "document.getElementById('op.logoutForm').submit();");
    const scriptHash = createHash('sha256').update(script).digest('base64');
    assert.ok(confirm.headers.get('content-security-policy')?.includes(`script-src 'sha256-${scriptHash}'`), 'the CSP allows exactly this script');
    const done = await browser.postForm(new URL(logoutAction, identity.base).href, { xsrf, logout: 'yes' });
    assert.equal(done.status, 303);
    assert.ok(done.headers.get('location')?.startsWith(CONSOLE_REDIRECT));

    // After logout the refresh token and the access token's session are gone.
    const afterLogout = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: liveRefresh });
    assert.equal(afterLogout.status, 400);
    assert.equal((await afterLogout.json() as { error: string }).error, 'invalid_grant');
    const userinfoAfter = await fetch(identity.endpoint('userinfo'), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(userinfoAfter.status, 401);

    // And the browser must sign in again.
    const again = await browser.follow(authorizeUrl(identity, { code_challenge: pkce.challenge, code_challenge_method: 'S256' }), identity.base);
    assert.equal(again.response.status, 200);
    assert.match(await again.response.text(), /Sign in to fleet/);
  });

  it('refuses a consumed refresh token (and, as replay, revokes the grant)', async () => {
    const browser = new Browser();
    const pkce = pkcePair();
    const { code } = await signIn(identity, browser, pkce);
    const first = await (await postToken(identity, {
      grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: CONSOLE_REDIRECT, code_verifier: pkce.verifier,
    })).json() as { refresh_token: string };
    const rotated = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: first.refresh_token });
    assert.equal(rotated.status, 200);
    const { refresh_token: newer } = await rotated.json() as { refresh_token: string };
    // A forged refresh token (right shape, wrong signature) is refused too.
    const [header, , ] = newer.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(newer), rt: 'guessed' })).toString('base64url');
    const forged = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: `${header}.${forgedPayload}.AAAA` });
    assert.equal(forged.status, 400);
    const reused = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: first.refresh_token });
    assert.equal(reused.status, 400);
    assert.equal((await reused.json() as { error: string }).error, 'invalid_grant');
    const afterReplay = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: newer });
    assert.equal(afterReplay.status, 400, 'a replayed refresh token revokes the whole grant');
  });

  it('keeps sessions, refresh tokens and keys across a restart', async () => {
    const browser = new Browser();
    const pkce = pkcePair();
    const { code } = await signIn(identity, browser, pkce);
    const tokens = await (await postToken(identity, {
      grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: CONSOLE_REDIRECT, code_verifier: pkce.verifier,
    })).json() as { access_token: string; refresh_token: string };
    const kidBefore = decodeProtectedHeader(tokens.access_token).kid;

    await identity.restart();

    const refreshed = await postToken(identity, { grant_type: 'refresh_token', client_id: 'fleet-console', refresh_token: tokens.refresh_token });
    assert.equal(refreshed.status, 200);
    const { access_token: after } = await refreshed.json() as { access_token: string };
    assert.equal(decodeProtectedHeader(after).kid, kidBefore);
    // The browser session survived too: no login page this time.
    const pkce2 = pkcePair();
    const again = await browser.follow(authorizeUrl(identity, { code_challenge: pkce2.challenge, code_challenge_method: 'S256' }), identity.base);
    assert.ok(again.location?.startsWith(CONSOLE_REDIRECT), `expected a code without login, got ${again.response.status}`);
  });
});

import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { Client } from 'pg';
import { assertPortFree, DEFAULT_IDENTITY_PORT, FLEET_SERVICES, freePort, localProvisionerEnv, REPO_ROOT } from '@fleet/local-fleet';
import { Browser, pkcePair, signInWithCodeFlow, TestVhost } from '@fleet/testing';
import { createFleetVhost, PrivateRedis, startPrivateRedis } from '../src';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * An offset that puts every port the launcher will bind (the services table's instances, RTMP 1935,
 * chroma 8000, the identity provider 3071) on free ports. They all land in 20000-32767: above the ports freePort() hands out
 * and below the ephemeral range other tests' `listen(0)` picks from.
 */
async function freePortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const offset = 18_100 + Math.floor(Math.random() * 5_900);
    try {
      const ports = FLEET_SERVICES.flatMap((spec) => Array.from({ length: spec.instances }, (_, i) => spec.firstPort + i)).concat([1935, 8000, DEFAULT_IDENTITY_PORT]);
      for (const port of ports) await assertPortFree('0.0.0.0', port + offset, 'probe');
      return offset;
    } catch {
      // taken: try another
    }
  }
  throw new Error('no free port range found');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** How long the launcher may take to start (or restart) instances before the test calls it hung. */
const FLEET_START_GUARD_MS = 240_000;

function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`launcher exited (${code}) early; output:\n${output}`));
    });
  });
}

describe('the npm start launcher (gateway/local/dist/src/start.js)', () => {
  const database = `fleet_e2e_cli_${randomBytes(4).toString('hex')}`;
  const logDir = mkdtempSync(path.join(os.tmpdir(), 'fleet-cli-logs-'));
  let launcher: ChildProcess | undefined;
  let prefixDir: string | undefined;
  // Its own vhost and Redis, like every test fleet: other test files run beside this one.
  let vhost: TestVhost | undefined;
  let redis: PrivateRedis | undefined;

  after(async () => {
    if (launcher && launcher.exitCode === null) launcher.kill('SIGKILL');
    await Promise.all([vhost?.drop(), redis?.stop()]);
    rmSync(logDir, { recursive: true, force: true });
    if (prefixDir) rmSync(prefixDir, { recursive: true, force: true });
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
    await admin.end();
  });

  test('`npm run token` refuses unknown roles, and says so when the fleet is not running', () => {
    assert.throws(
      () => execFileSync(process.execPath, ['tools/token.mjs', 'pilot'], { cwd: REPO_ROOT, stdio: 'pipe' }),
      (error: { status: number; stderr: Buffer }) => error.status === 2 && /unknown role "pilot"/.test(error.stderr.toString()),
    );
    assert.throws(
      () => execFileSync(process.execPath, ['tools/token.mjs', 'operator'], { cwd: REPO_ROOT, stdio: 'pipe', env: { ...process.env, GATEWAY_PORT: '1', KEYCLOAK_URL: '' } }),
      (error: { status: number; stderr: Buffer }) => error.status === 1 && /is the fleet running/.test(error.stderr.toString()),
    );
  });

  test('starts the fleet, prints the URLs, and on SIGINT stops every process it started and exits 0', async () => {
    const gatewayPort = await freePort();
    const offset = await freePortOffset();
    prefixDir = path.join(REPO_ROOT, '.dev', 'nginx', String(gatewayPort));
    [vhost, redis] = await Promise.all([createFleetVhost(), startPrivateRedis()]);
    const privateServers: Record<string, string> = { RABBITMQ_URL: vhost.url, ...(redis ? { REDIS_URL: redis.url } : {}) };
    launcher = spawn(process.execPath, ['gateway/local/dist/src/start.js'], {
      cwd: REPO_ROOT,
      env: { ...process.env, GATEWAY_PORT: String(gatewayPort), FLEET_PORT_OFFSET: String(offset), FLEET_DATABASE: database, FLEET_LOG_DIR: logDir, KEYCLOAK_URL: '', KEYCLOAK_REALM_PUBLIC_KEY: '', ...privateServers },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A guard against a hang, not a speed goal: on a busy 2-core box migrations alone took 50 s.
    const output = await waitForOutput(launcher, /Ctrl-C stops everything/, FLEET_START_GUARD_MS);
    assert.match(output, new RegExp(`http://127\\.0\\.0\\.1:${gatewayPort}/base_api/health`));
    const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    assert.ok(pids.length >= 2, 'prints the instance pids');
    const nginxPid = Number(readFileSync(path.join(prefixDir, 'nginx.pid'), 'utf8'));

    const gateway = `http://127.0.0.1:${gatewayPort}`;
    const health = await fetch(`${gateway}/base_api/health`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();

    // Supervision: an instance killed with SIGKILL comes back by itself, and the launcher says so.
    const [, basePort, basePid] = /base-1\s+http:\/\/127\.0\.0\.1:(\d+)\s+pid (\d+)/.exec(output)!.map(Number);
    const restarted = waitForOutput(launcher, /status: restarts base-1 ×1/, FLEET_START_GUARD_MS);
    process.kill(basePid, 'SIGKILL');
    const restartOutput = await restarted;
    assert.match(restartOutput, /! base-1 exited unexpectedly \(code [^)]+\); restarting it in 1 s \(crash 1 within a minute\)/);
    const newBasePid = Number(/base-1 restarted \(restart #1, pid (\d+)/.exec(restartOutput)?.[1]);
    assert.ok(newBasePid && newBasePid !== basePid && alive(newBasePid), restartOutput);
    pids.push(newBasePid);
    const restartedHealth = await fetch(`http://127.0.0.1:${basePort}/health`);
    assert.equal(restartedHealth.status, 200, 'the restarted instance is healthy');
    await restartedHealth.arrayBuffer();
    const launcherLog = readFileSync(path.join(logDir, 'launcher.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { kind: string; instance: string });
    assert.deepEqual(launcherLog.map((entry) => `${entry.kind} ${entry.instance}`), ['crashed base-1', 'restarted base-1']);

    // /keycloak is the local identity provider, and the services trust it through its JWKS.
    const issuer = `${gateway}/keycloak/realms/fleet`;
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; token_endpoint: string; jwks_uri: string };
    assert.equal(discovery.issuer, issuer);
    assert.equal(discovery.token_endpoint, `${issuer}/protocol/openid-connect/token`);
    const tokenOf = (...args: string[]) =>
      execFileSync(process.execPath, ['tools/token.mjs', ...args], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, GATEWAY_PORT: String(gatewayPort), KEYCLOAK_URL: '' } }).trim();
    const operatorToken = tokenOf('operator');
    assert.match(operatorToken, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'only the token is printed');
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload: operatorClaims, protectedHeader } = await jwtVerify(operatorToken, jwks, { issuer });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid, 'signed with a published key');
    assert.deepEqual([operatorClaims.typ, operatorClaims.azp, operatorClaims.preferred_username], ['Bearer', 'fleet-cli', 'operator']);
    assert.deepEqual((operatorClaims.realm_access as { roles: string[] }).roles, ['operator']);
    assert.equal(operatorClaims.exp! - operatorClaims.iat!, 300, 'five-minute access tokens');
    const admin = await fetch(`${gateway}/base_api/admin/tickets`, { headers: { authorization: `Bearer ${operatorToken}` } });
    assert.equal(admin.status, 200, 'base trusts the provider\'s token');
    await admin.arrayBuffer();
    // An operator signs in as the console does: code flow with PKCE through the gateway, a wrong password first.
    const browser = new Browser();
    const pkce = pkcePair();
    const consoleClient = { browser, authEndpoint: `${issuer}/protocol/openid-connect/auth`, clientId: 'fleet-console', redirectUri: 'http://127.0.0.1:8080/', challenge: pkce.challenge };
    await assert.rejects(signInWithCodeFlow({ ...consoleClient, credentials: { username: 'operator', password: 'wrong' } }), /login answered 401/);
    const { code } = await signInWithCodeFlow({ ...consoleClient, credentials: { username: 'operator', password: 'operator-dev-password-DEV-ONLY' } });
    const exchange = async (verifier: string) =>
      fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'fleet-console', code, redirect_uri: 'http://127.0.0.1:8080/', code_verifier: verifier }),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { access_token?: string; refresh_token?: string } }));
    assert.equal((await exchange(pkcePair().verifier)).status, 400, 'a wrong PKCE verifier is refused');
    const signedIn = await exchange(pkce.verifier);
    assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
    const consoleCall = await fetch(`${gateway}/base_api/admin/tickets?limit=1`, { headers: { authorization: `Bearer ${signedIn.body.access_token}` } });
    assert.equal(consoleCall.status, 200, 'the console\'s token opens an admin route');
    await consoleCall.arrayBuffer();

    const { payload: robotClaims } = await jwtVerify(tokenOf('robot'), jwks, { issuer });
    assert.deepEqual([robotClaims.sub, robotClaims.azp], ['robot-01', 'robot-01'], 'a robot is its own client');
    assert.deepEqual((robotClaims.realm_access as { roles: string[] }).roles, ['robot']);
    const forged = await fetch(`${gateway}/base_api/admin/tickets`, { headers: { authorization: `Bearer ${operatorToken.slice(0, -4)}AAAA` } });
    assert.equal(forged.status, 401, 'a token whose signature does not match is refused');
    await forged.arrayBuffer();

    // Provisioning: registering a robot (base) or a drone (video) makes its own client; deactivating or retiring disables it.
    const tokenEndpoint = discovery.token_endpoint;
    const clientToken = async (clientId: string, secret: string) =>
      fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as { access_token?: string } }));
    const asOperator = (method: string, url: string, body?: unknown) =>
      fetch(`${gateway}${url}`, {
        method,
        headers: { authorization: `Bearer ${operatorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));
    const robotClient = `robot-launcher-${randomBytes(3).toString('hex')}`;
    const robot = await asOperator('POST', '/base_api/admin/robots', { name: robotClient, station: 'Central', keycloak_client_id: robotClient });
    assert.equal(robot.status, 201, JSON.stringify(robot.body));
    assert.match(String(robot.body.client_secret), /.{16,}/, 'the client secret is answered once, at registration');
    const first = await clientToken(robotClient, String(robot.body.client_secret));
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const { payload: provisioned } = await jwtVerify(first.body.access_token!, jwks, { issuer });
    assert.deepEqual([provisioned.sub, provisioned.azp, (provisioned.realm_access as { roles: string[] }).roles], [robotClient, robotClient, ['robot']]);
    const heartbeat = (token: string) =>
      fetch(`${gateway}/base_api/robot/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ battery: 80, state: 'idle' }) });
    assert.equal((await heartbeat(first.body.access_token!)).status, 200, 'the provisioned robot is the registered one');
    const rotated = await asOperator('POST', `/base_api/admin/robots/${String(robot.body.id)}/client-secret`);
    assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
    assert.equal((await clientToken(robotClient, String(robot.body.client_secret))).status, 401, 'the old secret is refused');
    const renewed = await clientToken(robotClient, String(rotated.body.client_secret));
    assert.equal(renewed.status, 200);
    assert.equal((await asOperator('PATCH', `/base_api/admin/robots/${String(robot.body.id)}`, { active: false })).status, 200);
    assert.notEqual((await clientToken(robotClient, String(rotated.body.client_secret))).status, 200, 'a deactivated robot gets no token');
    assert.equal((await heartbeat(renewed.body.access_token!)).status, 403, 'and its still-valid token is refused');

    const droneClient = `drone-launcher-${randomBytes(3).toString('hex')}`;
    const drone = await asOperator('POST', '/video_api/drones', { name: droneClient, keycloak_client_id: droneClient });
    assert.equal(drone.status, 201, JSON.stringify(drone.body));
    const droneToken = await clientToken(droneClient, String(drone.body.client_secret));
    assert.equal(droneToken.status, 200, JSON.stringify(droneToken.body));
    const telemetry = await fetch(`${gateway}/video_api/drones/${String(drone.body.id)}/telemetry`, {
      method: 'POST',
      headers: { authorization: `Bearer ${droneToken.body.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ts: new Date().toISOString(), lat: 52.5, lon: 13.4 }),
    });
    assert.equal(telemetry.status, 202, 'the provisioned drone posts telemetry with its own token');
    await telemetry.arrayBuffer();
    assert.equal((await asOperator('DELETE', `/video_api/drones/${String(drone.body.id)}`)).status, 200);
    assert.notEqual((await clientToken(droneClient, String(drone.body.client_secret))).status, 200, 'a retired drone gets no token');

    // Audience: the provisioner's token is genuine (the realm signed it) but meant for the Admin REST
    // API, not the fleet. Without the realm's fleet-api audience mapper, every service refuses it, saying why.
    // (Before the key rotation below: keycloak-connect refetches the realm's keys at most every 10 s.)
    const provisioner = localProvisionerEnv(REPO_ROOT);
    const foreign = await clientToken(provisioner.KEYCLOAK_PROVISIONER_CLIENT_ID, provisioner.KEYCLOAK_PROVISIONER_SECRET);
    assert.equal(foreign.status, 200, JSON.stringify(foreign.body));
    const { payload: foreignClaims } = await jwtVerify(foreign.body.access_token!, jwks, { issuer });
    assert.equal([foreignClaims.aud].flat().includes('fleet-api'), false, 'no fleet-api audience without the mapper');
    assert.deepEqual([operatorClaims.aud, provisioned.aud], ['fleet-api', 'fleet-api'], 'the fleet\'s clients, provisioned ones included, have it');
    for (const route of ['/base_api/admin/tickets?limit=1', '/video_api/drones']) {
      const refused = await fetch(`${gateway}${route}`, { headers: { authorization: `Bearer ${foreign.body.access_token}` } });
      assert.equal(refused.status, 401, `${route} refuses a token not meant for the fleet`);
      assert.match(await refused.text(), /not meant for fleet-api: its audience is realm-management, issued to client fleet-provisioner/);
    }

    // Key rotation: the provider signs with a new key; the services fetch it on the unknown kid, and the old token still verifies.
    const identityDatabaseUrl = new URL(ADMIN_URL);
    Object.assign(identityDatabaseUrl, { username: 'svc_identity', password: 'svc_identity', pathname: `/${database}` });
    const newKid = execFileSync(process.execPath, ['gateway/identity/dist/src/rotate-key.js'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: identityDatabaseUrl.toString() } }).trim();
    const rotatedToken = tokenOf('operator');
    assert.equal(decodeProtectedHeader(rotatedToken).kid, newKid, 'new tokens carry the new key id');
    assert.notEqual(newKid, protectedHeader.kid);
    const adminWith = async (token: string) => {
      const res = await fetch(`${gateway}/base_api/admin/tickets?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      return res.status;
    };
    // keycloak-connect fetches the JWKS again at most every 10 s: the new key is trusted within that.
    const deadline = Date.now() + 30_000;
    let status = await adminWith(rotatedToken);
    while (status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = await adminWith(rotatedToken);
    }
    assert.equal(status, 200, 'a token signed with the new key is accepted');
    assert.equal(await adminWith(operatorToken), 200, 'a token signed with the old key still verifies until it expires');

    const exited = new Promise<number | null>((resolve) => launcher!.once('exit', (code) => resolve(code)));
    launcher.kill('SIGINT');
    assert.equal(await exited, 0);
    for (const pid of [...pids, nginxPid]) assert.equal(alive(pid), false, `pid ${pid} is gone`);
    await assert.rejects(fetch(`http://127.0.0.1:${gatewayPort}/healthz`), 'the gateway port is closed');
  });
});

import assert from 'node:assert/strict';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createPublicKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import { Client } from 'pg';
import { assertPortFree, devKeyFiles, FLEET_SERVICES, freePort, REPO_ROOT } from '@fleet/local-fleet';
import { TestVhost } from '@fleet/testing';
import { createFleetVhost, PrivateRedis, startPrivateRedis } from '../src';

const ADMIN_URL = process.env.DATABASE_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * An offset that puts every port the launcher will bind (the services table's instances, RTMP 1935,
 * chroma 8000) on free ports. They all land in 20000-32767: above the ports freePort() hands out
 * and below the ephemeral range other tests' `listen(0)` picks from.
 */
async function freePortOffset(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const offset = 18_100 + Math.floor(Math.random() * 5_900);
    try {
      const ports = FLEET_SERVICES.flatMap((spec) => Array.from({ length: spec.instances }, (_, i) => spec.firstPort + i)).concat([1935, 8000]);
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

  test('`npm run token` signs a Keycloak-shaped token with the dev key, and refuses unknown roles', async () => {
    const token = execFileSync(process.execPath, ['tools/token.mjs', 'robot', 'robot-42'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, GATEWAY_PORT: '8080', KEYCLOAK_URL: '' } }).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/, 'only the token is printed');
    const publicKey = createPublicKey({ key: Buffer.from(readFileSync(devKeyFiles(REPO_ROOT).publicKey, 'utf8').trim(), 'base64'), format: 'der', type: 'spki' });
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { issuer: 'http://127.0.0.1:8080/keycloak/realms/fleet' });
    assert.equal(protectedHeader.alg, 'RS256');
    assert.equal(protectedHeader.kid, 'fleet-dev');
    assert.equal(payload.sub, 'robot-42');
    assert.equal(payload.typ, 'Bearer');
    assert.deepEqual(payload.realm_access, { roles: ['robot'] });
    assert.ok(payload.exp! - payload.iat! === 3600);

    assert.throws(
      () => execFileSync(process.execPath, ['tools/token.mjs', 'pilot'], { cwd: REPO_ROOT, stdio: 'pipe' }),
      (error: { status: number; stderr: Buffer }) => error.status === 2 && /unknown role "pilot"/.test(error.stderr.toString()),
    );
  });

  test('starts the fleet, prints the URLs, and on SIGINT stops every process it started and exits 0', async () => {
    const gatewayPort = await freePort();
    const offset = await freePortOffset();
    prefixDir = path.join(REPO_ROOT, '.dev', 'nginx', String(gatewayPort));
    [vhost, redis] = await Promise.all([createFleetVhost(), startPrivateRedis()]);
    const privateServers: Record<string, string> = { RABBITMQ_URL: vhost.url, ...(redis ? { REDIS_URL: redis.url } : {}) };
    // Made before the launcher starts: it reads the dev key (tools/token.mjs makes it when missing).
    const token = execFileSync(process.execPath, ['tools/token.mjs', 'operator'], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, GATEWAY_PORT: String(gatewayPort), KEYCLOAK_URL: '' } }).trim();
    launcher = spawn(process.execPath, ['gateway/local/dist/src/start.js'], {
      cwd: REPO_ROOT,
      env: { ...process.env, GATEWAY_PORT: String(gatewayPort), FLEET_PORT_OFFSET: String(offset), FLEET_DATABASE: database, FLEET_LOG_DIR: logDir, KEYCLOAK_URL: '', KEYCLOAK_REALM_PUBLIC_KEY: '', ...privateServers },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = await waitForOutput(launcher, /Ctrl-C stops everything/, 60_000);
    assert.match(output, new RegExp(`http://127\\.0\\.0\\.1:${gatewayPort}/base_api/health`));
    const pids = [...output.matchAll(/pid (\d+)/g)].map((m) => Number(m[1]));
    assert.ok(pids.length >= 2, 'prints the instance pids');
    const nginxPid = Number(readFileSync(path.join(prefixDir, 'nginx.pid'), 'utf8'));

    const health = await fetch(`http://127.0.0.1:${gatewayPort}/base_api/health`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(health.status, 200);
    await health.arrayBuffer();

    const exited = new Promise<number | null>((resolve) => launcher!.once('exit', (code) => resolve(code)));
    launcher.kill('SIGINT');
    assert.equal(await exited, 0);
    for (const pid of [...pids, nginxPid]) assert.equal(alive(pid), false, `pid ${pid} is gone`);
    await assert.rejects(fetch(`http://127.0.0.1:${gatewayPort}/healthz`), 'the gateway port is closed');
  });
});

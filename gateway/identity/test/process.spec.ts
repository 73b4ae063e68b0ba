import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { dropDatabase } from '@fleet/database';
import { freeTcpPort, stopChild, TEST_ADMIN_URL } from '@fleet/testing';
import type { ChildProcess } from 'node:child_process';
import { ROBOT } from './helpers';

const dist = path.join(__dirname, '..', 'src');

function run(script: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(dist, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('the entry points the launcher runs: migrate.js, then main.js on PORT', () => {
  const database = `fleet_test_identity_${randomBytes(4).toString('hex')}`;
  const databaseUrl = `postgres://svc_identity:svc_identity@127.0.0.1:5432/${database}`;
  let port: number;
  let child: ChildProcess | undefined;

  before(async () => {
    port = await freeTcpPort();
  });
  after(async () => {
    if (child) await stopChild(child);
    await dropDatabase(TEST_ADMIN_URL, database);
  });

  it('migrates twice (the second run has nothing to do), serves /health and tokens, stops on SIGTERM', async () => {
    const env = { DATABASE_URL: databaseUrl, DATABASE_ADMIN_URL: TEST_ADMIN_URL };
    for (let i = 0; i < 2; i++) {
      const migrated = await run('migrate.js', env);
      assert.equal(migrated.code, 0, migrated.stderr);
    }
    const started = await spawnProvider(port, databaseUrl);
    child = started;
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    const issuer = `http://127.0.0.1:${port}/keycloak/realms/fleet`;
    const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json() as { issuer: string };
    assert.equal(discovery.issuer, issuer);
    const token = await fetch(`${issuer}/protocol/openid-connect/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${ROBOT.clientId}:${ROBOT.secret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(token.status, 200);
    const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
    started.kill('SIGTERM');
    assert.equal(await exited, 0);
    child = undefined;
  });
});

/** main.js with the launcher's variables; resolves once /health answers. */
async function spawnProvider(port: number, databaseUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(dist, 'main.js')], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, IDENTITY_PUBLIC_URL: `http://127.0.0.1:${port}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`main.js exited with ${child.exitCode}: ${output}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`main.js did not answer /health within 20 s: ${output}`);
}

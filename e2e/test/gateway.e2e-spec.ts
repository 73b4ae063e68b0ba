import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { REPO_ROOT } from '@fleet/local-fleet';
import { startTestFleet, TestFleet } from '../src';

/** A JSON error made by nginx itself: the services' error shape (README, "API conventions"), request id included. */
async function assertGatewayError(response: Response, status: number): Promise<Record<string, unknown>> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await response.json()) as Record<string, unknown>;
  assert.equal(body.statusCode, status);
  assert.equal(typeof body.error, 'string');
  assert.equal(body.request_id, response.headers.get('x-request-id'));
  return body;
}

/** POST with a declared body size, answered before nginx reads the body (fetch may choke on that). */
function postWithLength(url: string, bytes: number): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': bytes } });
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!request.write(sent <= bytes ? chunk : chunk.subarray(0, bytes - (sent - chunk.length)))) return void request.once('drain', pump);
      }
      request.end();
    };
    pump();
  });
}

describe('gateway (nginx in front of the local fleet)', () => {
  let fleet: TestFleet;

  before(async () => {
    fleet = await startTestFleet({ only: ['base'] });
  });
  after(async () => {
    await fleet?.stop();
  });

  test('/base_api/health answers 200 with the health report of a base instance', async () => {
    const response = await fleet.request('/base_api/health');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as { status: string; services: Record<string, string> };
    assert.equal(body.status, 'healthy');
    assert.ok(Object.keys(body.services).length > 0, 'health lists its dependencies');
    for (const [name, state] of Object.entries(body.services)) assert.equal(state, 'up', `${name} is up`);
  });

  test('X-Request-ID: generated when absent, kept when given, replaced when unsafe, one header only', async () => {
    const generated = await fleet.request('/base_api/health');
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);

    const id = `e2e-${randomUUID()}`;
    const given = await fleet.request('/base_api/health', { headers: { 'x-request-id': id } });
    assert.equal(given.headers.get('x-request-id'), id, 'exactly the caller id, not a list');

    const unsafe = await fleet.request('/base_api/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.match(unsafe.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);

    const [line] = await fleet.accessLogLines((entry) => entry.requestId === id);
    assert.ok(line, 'the access log has a JSON line with the request id');
    assert.equal(line.status, 200);
    assert.equal(line.path, '/base_api/health');
  });

  test('the gateway request id reaches the base instance that served it, and its log lines', async () => {
    const id = `e2e-log-${randomUUID()}`;
    // A well-formed token signed by a key the fleet does not trust: base logs why it refused it.
    const forged = await fleet.token('operator', 'forger', { signWith: (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey });
    const response = await fleet.request('/base_api/rooms/e2e/messages', { headers: { 'x-request-id': id, authorization: `Bearer ${forged}` } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('x-request-id'), id);

    const [served] = await fleet.accessLogLines((entry) => entry.requestId === id);
    assert.ok(served, 'access log line');
    const instance = fleet.fleet.instances.find((i) => served.upstream === `127.0.0.1:${i.port}`);
    assert.ok(instance, `upstream ${String(served.upstream)} is one of the instances`);
    const deadline = Date.now() + 2000;
    let lines = fleet.logLines(instance.instanceId).filter((entry) => entry.requestId === id);
    while (lines.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      lines = fleet.logLines(instance.instanceId).filter((entry) => entry.requestId === id);
    }
    assert.ok(lines.length > 0, `${instance.instanceId} logged a line with requestId ${id}`);
    assert.equal(lines[0].instance, instance.instanceId);
  });

  test('requests are spread over both base instances', async () => {
    const prefix = `e2e-lb-${randomUUID()}`;
    for (let i = 0; i < 12; i++) {
      const response = await fleet.request('/base_api/health', { headers: { 'x-request-id': `${prefix}-${i}` } });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    }
    const upstreams = new Set((await fleet.accessLogLines((e) => String(e.requestId).startsWith(prefix), 12)).map((e) => e.upstream));
    const expected = new Set(fleet.fleet.instances.filter((i) => i.service === 'base').map((i) => `127.0.0.1:${i.port}`));
    assert.equal(expected.size, 2);
    assert.deepEqual(upstreams, expected);
  });

  test('WebSocket upgrade passes through the gateway to base (/base_api/ws)', async () => {
    const token = await fleet.token('operator');
    const url = `${fleet.gatewayUrl.replace(/^http/, 'ws')}/base_api/ws`;
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}`, 'x-request-id': `e2e-ws-${randomUUID()}` } });
    const outcome = await new Promise<{ upgraded: boolean; status?: number; firstFrame?: string }>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve({ upgraded: false, status: res.statusCode }));
      socket.once('error', () => resolve({ upgraded: false }));
      socket.once('open', () => {
        socket.once('message', (data) => resolve({ upgraded: true, firstFrame: data.toString() }));
        socket.once('close', () => resolve({ upgraded: true }));
      });
    });
    socket.terminate();
    assert.equal(outcome.upgraded, true, `upgrade refused (HTTP ${outcome.status})`);
  });

  test('service metrics are not reachable through the gateway (404), only on the instance itself', async () => {
    for (const path of ['/base_api/metrics', '/base_api/METRICS', '/base_api//metrics', '/base_api/metrics/', '/base_api/%6detrics', '/store_api/metrics']) {
      await assertGatewayError(await fleet.request(path), 404);
    }
    const direct = await fetch(`${fleet.fleet.instances[0].url}/metrics`);
    assert.equal(direct.status, 200, 'the instance itself still serves /metrics');
    await direct.arrayBuffer();
  });

  test('the OpenAPI document and its UI are served through the gateway (/base_api/docs)', async () => {
    const json = await fleet.request('/base_api/docs/json');
    assert.equal(json.status, 200);
    const document = (await json.json()) as { servers: Array<{ url: string }>; paths: Record<string, unknown> };
    assert.equal(document.servers[0].url, '/base_api', '"Try it out" goes through the gateway');
    assert.ok(document.paths['/robot/tickets/check'], 'the document lists base routes');

    const ui = await fleet.request('/base_api/docs');
    assert.equal(ui.status, 200);
    const html = await ui.text();
    // Every script and stylesheet of the UI resolves under the gateway prefix too.
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((match) => new URL(match[1], `${fleet.gatewayUrl}/base_api/docs`));
    assert.ok(assets.length >= 2, `assets in the UI page: ${assets.join(', ')}`);
    for (const asset of assets) {
      assert.ok(asset.pathname.startsWith('/base_api/'), `${asset.pathname} stays under the prefix`);
      const response = await fleet.request(asset.pathname);
      assert.equal(response.status, 200, asset.pathname);
      await response.arrayBuffer();
    }
  });

  test('a body over the path limit is refused by nginx with 413 JSON', async () => {
    const response = await postWithLength(`${fleet.gatewayUrl}/base_api/health`, 11 * 1024 * 1024);
    assert.equal(response.status, 413);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    assert.equal(body.statusCode, 413);
    assert.equal(body.request_id, response.headers['x-request-id']);
  });

  test('/keycloak without a Keycloak behind it answers a JSON 502', async () => {
    const body = await assertGatewayError(await fleet.request('/keycloak/realms/fleet'), 502);
    assert.equal(body.error, 'Bad Gateway');
  });

  test('robot routes are rate limited with a JSON 429', async () => {
    const token = await fleet.token('robot');
    const responses = await Promise.all(
      Array.from({ length: 90 }, () => fleet.request('/base_api/robot/e2e-rate-limit', { headers: { authorization: `Bearer ${token}` } })),
    );
    const limited = responses.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, 'some requests were limited');
    assert.ok(responses.length - limited.length >= 40, 'the burst went through');
    await assertGatewayError(limited[0], 429);
    await Promise.all(responses.map((r) => r.bodyUsed || r.arrayBuffer()));
  });

  test("the console is served at / and at each of its pages' routes (SPA fallback); hashed assets are immutable; any other path is a JSON 404", async () => {
    const page = await fleet.request('/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    const html = await page.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html);
    assert.ok(script, `index.html names its hashed entry script: ${html}`);
    // Every page the console registers is a route nginx answers with the app (a reload or a deep link).
    const pages = readFileSync(path.join(REPO_ROOT, 'gateway', 'console', 'src', 'pages', 'index.ts'), 'utf8');
    const routes = [...pages.matchAll(/path: '(\/[a-z-]*)'/g)].map((match) => match[1]).filter((route) => route !== '/');
    assert.ok(routes.length >= 8, `found the console's pages: ${routes.join(', ')}`);
    for (const route of routes) {
      for (const url of [route, `${route}/some-id`]) {
        const deepLink = await fleet.request(url);
        assert.equal(deepLink.status, 200, url);
        assert.equal(await deepLink.text(), html, url);
      }
    }
    const asset = await fleet.request(script[1], { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(asset.headers.get('content-encoding'), 'gzip');
    await asset.arrayBuffer();
    for (const icon of ['/favicon.svg', '/favicon.ico']) {
      const answer = await fleet.request(icon);
      assert.equal(answer.status, 200, icon);
      assert.equal(answer.headers.get('content-type'), 'image/svg+xml', icon);
      await answer.arrayBuffer();
    }
    await assertGatewayError(await fleet.request('/assets/no-such-file.js'), 404);
    await assertGatewayError(await fleet.request('/no-such-path'), 404);
    await assertGatewayError(await fleet.request('/no_such_api/things'), 404);
  });

  test('with every base instance down the gateway answers a JSON 502, and recovers when they return', async () => {
    const base = fleet.fleet.instances.filter((i) => i.service === 'base');
    await Promise.all(base.map((instance) => instance.stop()));
    const body = await assertGatewayError(await fleet.request('/base_api/health'), 502);
    assert.equal(body.error, 'Bad Gateway');

    await Promise.all(base.map((instance) => instance.start()));
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline) {
      const response = await fleet.request('/base_api/health');
      status = response.status;
      await response.arrayBuffer();
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(status, 200, 'base is reachable again through the gateway');
  });
});

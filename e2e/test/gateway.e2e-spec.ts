import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { REPO_ROOT } from '@fleet/local-fleet';
import { eventually, makeTestClip, publishRtmp } from '@fleet/testing';
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
    // Video too: its session log records the viewer's address (X-Forwarded-For).
    fleet = await startTestFleet({ only: ['base', 'video'] });
  });
  after(async () => {
    await fleet?.stop();
  });

  test('/base_api/health answers the status only; the dependencies stay on the instance port', async () => {
    const response = await fleet.request('/base_api/health');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), { status: 'healthy' });

    const direct = await fetch(`${fleet.fleet.instances[0].url}/health`);
    const body = (await direct.json()) as { status: string; services: Record<string, string> };
    assert.equal(body.status, 'healthy');
    assert.ok(Object.keys(body.services).length > 0, 'the instance lists its dependencies');
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

  test('instances keep idle connections longer than nginx reuses them (no 502 when a kept-alive upstream connection is closed under a POST)', async () => {
    // nginx keeps idle upstream connections 60 s; an instance closing them sooner races its reuse.
    for (const instance of fleet.fleet.instances.filter((i) => ['base', 'store', 'video', 'vision', 'translator'].includes(i.service))) {
      const response = await fetch(`${instance.url}/health`);
      await response.body?.cancel();
      const timeout = Number(/timeout=(\d+)/.exec(response.headers.get('keep-alive') ?? '')?.[1]);
      assert.ok(timeout > 60, `${instance.instanceId} keeps idle connections ${timeout} s (keep-alive: ${response.headers.get('keep-alive')})`);
    }
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

  test('the admin console, the Admin REST API and the master realm are a JSON 404 at the gateway, never proxied', async () => {
    // Without a provider behind /keycloak a proxied path is a 502: a 404 means nginx refused it itself.
    for (const denied of [
      '/keycloak/admin/master/console/',
      '/keycloak/admin/realms/fleet/clients',
      '/keycloak//admin/realms/fleet/users',
      '/keycloak/Admin/realms/fleet/clients',
      '/keycloak/%61dmin/realms/fleet/clients',
      '/keycloak/realms/master/protocol/openid-connect/token',
      '/keycloak/realms/master;x=1/account',
      '/keycloak/realms/fleet/../master/account',
    ]) {
      const body = await assertGatewayError(await fleet.request(denied), 404);
      assert.equal(body.message, 'No route for this path', denied);
    }
  });

  test('robot routes are rate limited per address: invented tokens share one budget, with a JSON 429', async () => {
    const token = await fleet.token('robot');
    // Well above the burst (100) plus what 50 r/s refills while they arrive.
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        fleet.request('/base_api/robot/e2e-rate-limit', { headers: { authorization: `Bearer ${i % 2 ? token : `invented-${randomUUID()}`}` } }),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, 'some requests were limited');
    assert.ok(responses.length - limited.length >= 100, 'the burst went through');
    await assertGatewayError(limited[0], 429);
    await Promise.all(responses.map((r) => r.bodyUsed || r.arrayBuffer()));
  });

  test('routes match case-sensitively: another spelling of the robot prefix is refused, a service answers 404', async () => {
    const token = await fleet.token('robot');
    for (const robotPath of ['/base_api/Robot/tickets/check', '/base_api/ROBOT/heartbeat', '/base_api/%52obot/tickets/check']) {
      const body = await assertGatewayError(await fleet.request(robotPath, { method: 'POST', headers: { authorization: `Bearer ${token}` } }), 404);
      assert.equal(body.message, 'No route for this path', robotPath);
    }
    // Past the gateway, the services' routers do not fold case either.
    const upper = await fleet.request('/base_api/HEALTH');
    assert.equal(upper.status, 404);
    const body = (await upper.json()) as { message: string };
    assert.notEqual(body.message, 'No route for this path', 'base itself answered');
  });

  test("a spoofed X-Forwarded-For never reaches video's session log", async () => {
    const operator = await fleet.token('operator');
    const api = async (method: string, urlPath: string, body?: unknown) => {
      const response = await fleet.request(`/video_api${urlPath}`, {
        method,
        headers: { authorization: `Bearer ${operator}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await response.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked field by field
    };
    const dir = path.join(os.tmpdir(), 'fleet-video-e2e');
    mkdirSync(dir, { recursive: true });
    const clip = await makeTestClip(dir, { width: 320, height: 240, fps: 15, seconds: 4, bitrate: '300k' });
    const drone = await api('POST', '/drones', { name: 'Spoof check', keycloak_client_id: 'drone-e2e-gateway-xff' });
    const publisher = publishRtmp(clip, `rtmp://127.0.0.1:${fleet.rtmpPort}/live/${drone.stream_key}`);
    try {
      await eventually(() => api('GET', `/drones/${drone.id}/stream`), (stats) => stats.live === true);
      // Several viewers, so that both instances serve one (the other proxies to the ingest owner).
      for (let i = 0; i < 4; i += 1) {
        const abort = new AbortController();
        const viewer = await fleet.request(`/live/${drone.id}.flv`, { headers: { authorization: `Bearer ${operator}`, 'x-forwarded-for': '203.0.113.66' }, signal: abort.signal });
        assert.equal(viewer.status, 200);
        await viewer.body?.getReader().read();
        abort.abort();
      }
      const plays = await eventually(
        () => api('GET', `/sessions?drone_id=${drone.id}&kind=play`).then((page) => page.items as Array<{ client_address: string; ended_at: string | null }>),
        (rows) => rows.length >= 4 && rows.every((row) => row.ended_at),
      );
      assert.deepEqual([...new Set(plays.map((row) => row.client_address))], ['127.0.0.1'], 'the address nginx saw, not the header');
    } finally {
      await publisher.stop();
    }
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
    // nginx refuses a NUL in the path before it has a URI; its answer is still the JSON 400.
    await assertGatewayError(await fleet.request('/base_api/admin/tickets/%00'), 400);
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

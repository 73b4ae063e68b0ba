import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createTestDatabase, createTestRealm, createTestVhost, freeTcpPort, ServiceProcess, signTestToken, TestDatabase, TestRealm, TestVhost } from '@fleet/testing';
import { DetectImage, DetectImageParams, EngineerCreatedEvent, EngineerDeactivatedEvent, Page, RpcErrorCode } from '@fleet/contracts';
import { RpcClient, RpcError } from '@fleet/messaging';
import { visionDataSourceOptions } from '../src/database/vision.datasource';
import { json, multipart } from './support/http';
import { spawnVision } from './support/spawn-vision';
import { fullKitPatches, toolPhoto } from './support/tool-images';
import { buildZip } from './support/zips';

interface Prediction {
  filename: string;
  success: boolean;
  detections: Array<{ class_name: string; confidence: number; box: { x1: number; y1: number; x2: number; y2: number } }>;
  count: number;
  cached?: boolean;
  annotated_image_url?: string;
  error?: { reason: string; message: string };
  worker_ms?: number;
  stages_ms?: Record<string, number>;
}
interface PredictBody {
  results: Array<Prediction & { worker?: string }>;
  successful: number;
  failed: number;
  comparison?: { complete: boolean; missing_total: number; extra_total: number; lines: Array<{ class_name: string; expected: number; found: number; missing: number; extra: number; confidence: number | null }> };
}

/** Detections a worker has handled so far, from its own /metrics. */
async function detectionsHandledBy(worker: ServiceProcess): Promise<number> {
  const text = await (await fetch(`${worker.url}/metrics`)).text();
  const counts = [...text.matchAll(/^fleet_rpc_server_duration_seconds_count\{[^}]*method="vision\.detect\.v1"[^}]*\} (\d+)/gm)];
  return counts.reduce((sum, match) => sum + Number(match[1]), 0);
}

describe('vision service with two workers (real Postgres, Redis, RabbitMQ, ONNX runtime)', () => {
  let db: TestDatabase;
  let realm: TestRealm;
  let vhost: TestVhost;
  let mediaDir: string;
  let http: ServiceProcess;
  const workers: ServiceProcess[] = [];
  let robot: string;
  let operator: string;
  let toolkitId: string;
  let rpc: RpcClient;

  // Uploads and ZIP entries are `incoming/<uuid>.upload`; the storage's own scratch files (an
  // annotated image being written after its answer) have no extension and are not leftovers.
  const uploadsLeft = () => readdirSync(path.join(mediaDir, 'incoming')).filter((name) => name.endsWith('.upload'));
  const post = (route: string, form: FormData, token = robot) => fetch(`${http.url}${route}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  const call = (route: string, init: RequestInit = {}, token = operator) =>
    fetch(`${http.url}${route}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  before(async () => {
    realm = createTestRealm();
    db = await createTestDatabase('vision', 'svc_vision', visionDataSourceOptions);
    // A private vhost and media dir: queue names are fixed, and other fleets on this machine run vision too.
    vhost = await createTestVhost('fleet_test_vision');
    mediaDir = mkdtempSync(path.join(os.tmpdir(), 'vision-test-media-'));
    const shared = { RABBITMQ_URL: vhost.url, VISION_MEDIA_DIR: mediaDir };
    // Leftovers of an earlier crash, which the service's janitor must remove at start.
    for (const [dir, name, ageDays] of [['incoming', 'orphan.upload', 1], ['annotated', `${'b'.repeat(64)}.jpg`, 2], ['annotated', `${'c'.repeat(64)}.jpg`, 0]] as const) {
      mkdirSync(path.join(mediaDir, dir), { recursive: true });
      const file = path.join(mediaDir, dir, name);
      writeFileSync(file, 'old');
      const when = new Date(Date.now() - ageDays * 86_400_000);
      utimesSync(file, when, when);
    }
    for (let i = 0; i < 2; i++) {
      workers.push(await spawnVision({ entry: 'worker', port: await freeTcpPort(), databaseUrl: db.url, realm, instanceId: `vw-test-${i + 1}`, env: shared }));
    }
    // An inline budget smaller than the default, so that the large photos of a batch go through shared storage.
    const env = { ...shared, VISION_CLASS_THRESHOLDS: 'tape_measure=0.6', VISION_ZIP_MAX_ENTRIES: '20', VISION_ZIP_MAX_TOTAL_BYTES: '5000000', VISION_INLINE_IMAGE_BYTES: '300000' };
    http = await spawnVision({ entry: 'main', port: await freeTcpPort(), databaseUrl: db.url, realm, instanceId: 'vision-test-http', env });
    robot = await signTestToken(realm, { sub: 'robot-07', roles: ['robot'] });
    operator = await signTestToken(realm, { sub: 'operator-ann', roles: ['operator'] });
    rpc = new RpcClient({ url: vhost.url, defaultDeadlineMs: 5000, name: 'vision-test' });
    await rpc.connect();
  });

  after(async () => {
    await rpc?.close();
    await Promise.all([http?.stop(), ...workers.map((w) => w.stop())]);
    await db?.drop();
    await vhost?.drop();
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  });

  it('removes orphaned uploads and expired annotated images from shared storage at start', () => {
    assert.equal(existsSync(path.join(mediaDir, 'incoming', 'orphan.upload')), false);
    assert.equal(existsSync(path.join(mediaDir, 'annotated', `${'b'.repeat(64)}.jpg`)), false);
    assert.equal(existsSync(path.join(mediaDir, 'annotated', `${'c'.repeat(64)}.jpg`)), true, 'a fresh annotated image stays');
  });

  it('seeds the default toolkit of 11 tools on first start', async () => {
    const page = await json<Page<{ id: string; name: string; items: Array<{ quantity: number; tool: { class_name: string } }> }>>(await call('/toolkits', {}, robot));
    assert.deepEqual([page.total, page.limit, page.offset], [1, 100, 0]);
    const kits = page.items;
    assert.equal(kits.length, 1);
    assert.equal(kits[0].name, 'Standard maintenance kit');
    assert.equal(kits[0].items.length, 11);
    assert.ok(kits[0].items.every((i) => i.quantity === 1));
    toolkitId = kits[0].id;
  });

  it('detects every tool of a generated photo exactly, compares it with the kit and serves the annotated image', async () => {
    const photo = await toolPhoto(fullKitPatches());
    const response = await post('/predict', multipart({ toolkit_id: toolkitId }, [['image', 'kit.jpg', photo]]));
    assert.equal(response.status, 200);
    const body = await json<PredictBody>(response);
    const [result] = body.results;
    assert.equal(result.count, 11);
    const hammer = result.detections.find((d) => d.class_name === 'hammer')!;
    assert.deepEqual(hammer.box, { x1: 32, y1: 32, x2: 96, y2: 96 });
    assert.ok(hammer.confidence > 0.95);
    assert.equal(body.comparison?.complete, true);
    assert.equal(body.comparison?.missing_total, 0);

    const media = await fetch(`${http.url}${result.annotated_image_url!.replace('/vision_api', '')}`, { headers: { authorization: `Bearer ${robot}` } });
    assert.equal(media.status, 200);
    assert.equal(media.headers.get('content-type'), 'image/jpeg');
    const { data, info } = await sharp(Buffer.from(await media.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    assert.ok(at(32, 64).every((v) => v < 60), `box edge drawn at x=32: ${at(32, 64)}`);
    assert.ok(at(64, 64)[0] > 200 && at(64, 64)[1] < 60, 'inside of the box untouched (red hammer)');
    assert.ok(at(20, 200).every((v) => v > 200), 'away from any box: white');

    const again = await json<PredictBody>(await post('/predict', multipart({}, [['image', 'kit.jpg', photo]])));
    assert.equal(again.results[0].count, 11);
    assert.equal(again.results[0].cached, true, 'second identical request served from Redis');
    assert.deepEqual(Object.keys(result.stages_ms ?? {}), ['decode', 'inference', 'postprocess', 'annotate']);
    assert.equal(again.results[0].stages_ms, undefined, 'a cache hit runs no stage');
  });

  it('answers before drawing, and serves every annotated image right after its answer', async () => {
    for (let i = 0; i < 8; i++) {
      const photo = await toolPhoto([{ tool: 'hammer', x: 32 + 16 * i, y: 64, size: 64 }], { unique: true });
      const [result] = (await json<PredictBody>(await post('/predict', multipart({}, [['image', 'kit.jpg', photo]])))).results;
      assert.equal(result.cached, false);
      const media = await fetch(`${http.url}${result.annotated_image_url!.replace('/vision_api', '')}`, { headers: { authorization: `Bearer ${robot}` } });
      assert.equal(media.status, 200, `image ${i} fetched at once`);
      const { data, info } = await sharp(Buffer.from(await media.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
      const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
      assert.ok(at(32 + 16 * i, 96).every((v) => v < 60), `image ${i}: its box is drawn`);
    }
    assert.deepEqual(uploadsLeft(), [], 'single photos never went through shared storage');
  });

  it('takes an image inline in the message (bytes, or base64 from a JSON-only caller), and refuses a bad inline image by its content', async () => {
    const photo = await toolPhoto(fullKitPatches(), { unique: true });
    const result = await rpc.call(DetectImage, { image: photo, confidence: 0.5, annotate: false });
    assert.deepEqual([result.detections.length, result.annotated, result.cached], [11, undefined, false]);
    const refusal = (params: object) => rpc.call(DetectImage, params as DetectImageParams).then(() => assert.fail('accepted'), (error: RpcError) => error);
    // What a stock Nest client sends: the same image as base64 in plain JSON, found in the cache by its bytes.
    const asText = await rpc.call(DetectImage, { image: photo.toString('base64') as unknown as Buffer, confidence: 0.5, annotate: false });
    assert.deepEqual([asText.detections, asText.cached], [result.detections, true]);
    const garbage = await refusal({ image: Buffer.from('not an image'), confidence: 0.5 });
    assert.deepEqual([garbage.code, (garbage.data as { reason?: string }).reason], [RpcErrorCode.InvalidParams, 'not_an_image']);
    const neither = await refusal({ confidence: 0.5 });
    assert.equal(neither.code, RpcErrorCode.InvalidParams);
    assert.match(neither.message, /path/);
    const unsafePath = await refusal({ image: photo, path: '../etc/passwd', confidence: 0.5 });
    assert.equal(unsafePath.code, RpcErrorCode.InvalidParams, 'a path sent beside an image is still checked');
  });

  it('maps boxes back through the letterbox of a non-square photo', async () => {
    const photo = await toolPhoto([{ tool: 'torque_wrench', x: 64, y: 64, size: 128 }], { width: 1280, height: 960, format: 'png' });
    const body = await json<PredictBody>(await post('/predict', multipart({}, [['image', 'wide.png', photo]])));
    assert.deepEqual(body.results[0].detections.map((d) => [d.class_name, d.box]), [['torque_wrench', { x1: 64, y1: 64, x2: 192, y2: 192 }]]);
  });

  it('applies the request confidence and the per-class thresholds of the config', async () => {
    // 64x48 patches score 0.5625: above 0.5, below 0.6; tape_measure's configured threshold is 0.6.
    const photo = await toolPhoto([{ tool: 'wire_cutters', x: 64, y: 64, size: 64, height: 48 }, { tool: 'tape_measure', x: 320, y: 320, size: 64, height: 48 }]);
    const loose = await json<PredictBody>(await post('/predict', multipart({ confidence: '0.5' }, [['image', 'p.jpg', photo]])));
    assert.deepEqual(loose.results[0].detections.map((d) => d.class_name), ['wire_cutters']);
    const strict = await json<PredictBody>(await post('/predict', multipart({ confidence: '0.6' }, [['image', 'p.jpg', photo]])));
    assert.equal(strict.results[0].count, 0);
  });

  it('refuses bad images by content with a clear status, and leaves no temporary file behind', async () => {
    const before = uploadsLeft().length;
    const text = await post('/predict', multipart({}, [['image', 'photo.jpg', Buffer.from('this is not an image at all')]]));
    assert.equal(text.status, 422);
    assert.equal((await json<{ reason: string }>(text)).reason, 'not_an_image');
    const full = await toolPhoto(fullKitPatches());
    const truncated = await post('/predict', multipart({}, [['image', 'cut.jpg', full.subarray(0, Math.floor(full.length / 2))]]));
    assert.equal(truncated.status, 422);
    assert.equal((await json<{ reason: string }>(truncated)).reason, 'truncated');
    const huge = await sharp({ create: { width: 12_100, height: 16, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const tooLarge = await post('/predict', multipart({}, [['image', 'huge.png', huge]]));
    assert.equal(tooLarge.status, 413);
    const missing = await post('/predict', multipart({}, []));
    assert.equal(missing.status, 400);
    assert.equal(uploadsLeft().length, before, 'uploads removed after failures');
    assert.equal(before, 0, 'and after the successful requests before');
  });

  it('reports per image in a batch, shared by both workers', async () => {
    const photos = await Promise.all(Array.from({ length: 10 }, (_, i) => toolPhoto([{ tool: 'hammer', x: 16 * (i + 1), y: 96, size: 64 }], { format: 'png', unique: true })));
    const files: Array<[string, string, Buffer]> = photos.map((p, i) => ['images', `img-${i}.png`, p]);
    files.push(['images', 'notes.txt', Buffer.from('hello')]);
    const body = await json<PredictBody>(await post('/predict/batch', multipart({ toolkit_id: toolkitId }, files)));
    assert.equal(body.successful, 10);
    assert.equal(body.failed, 1);
    assert.equal(body.results[10].error?.reason, 'not_an_image');
    body.results.slice(0, 10).forEach((r, i) => assert.deepEqual(r.detections.map((d) => d.box.x1), [16 * (i + 1)]));
    const missingHammerless = body.comparison!.lines.find((l) => l.class_name === 'flat_screwdriver')!;
    assert.equal(missingHammerless.missing, 1);
    const served = new Set(body.results.slice(0, 10).map((r) => r.worker));
    assert.ok(served.size >= 2, `both workers took part: ${[...served].join(', ')}`);
  });

  it('reads a ZIP entry by entry: images detected, non-images and unsafe names reported per entry', async () => {
    const zip = await buildZip([
      { name: 'a/kit.jpg', data: await toolPhoto(fullKitPatches(['hammer'])) },
      { name: 'b.png', data: await toolPhoto([{ tool: 'voltage_tester', x: 128, y: 128, size: 64 }], { format: 'png' }) },
      { name: 'readme.txt', data: Buffer.from('not an image') },
      { name: '../evil.jpg', data: await toolPhoto([]) },
      { name: '/abs/evil.jpg', data: await toolPhoto([]) },
    ]);
    const response = await post('/predict/zip', multipart({ toolkit_id: toolkitId }, [['zip_file', 'photos.zip', zip]]));
    assert.equal(response.status, 200);
    const body = await json<PredictBody>(response);
    assert.deepEqual(body.results.map((r) => [r.filename, r.success ? r.count : r.error?.reason]), [
      ['a/kit.jpg', 10],
      ['b.png', 1],
      ['readme.txt', 'not_an_image'],
      ['../evil.jpg', 'unsafe_name'],
      ['/abs/evil.jpg', 'unsafe_name'],
    ]);
  });

  it('refuses ZIP bombs (ratio, total size), too many entries and non-ZIPs', async () => {
    const bomb = await buildZip([{ name: 'zeros.jpg', data: Buffer.alloc(20_000_000) }]);
    const ratio = await post('/predict/zip', multipart({}, [['zip_file', 'bomb.zip', bomb]]));
    assert.equal(ratio.status, 422);
    assert.match((await json<{ message: string }>(ratio)).message, /ZIP bomb/);
    const noise = () => Buffer.from(Array.from({ length: 2_000_000 }, () => Math.floor(Math.random() * 256)));
    const big = await buildZip([1, 2, 3].map((i) => ({ name: `n${i}.jpg`, data: noise(), compress: false })));
    assert.equal((await post('/predict/zip', multipart({}, [['zip_file', 'big.zip', big]]))).status, 413);
    const many = await buildZip(Array.from({ length: 21 }, (_, i) => ({ name: `e${i}.txt`, data: Buffer.from('x') })));
    assert.equal((await post('/predict/zip', multipart({}, [['zip_file', 'many.zip', many]]))).status, 413);
    assert.equal((await post('/predict/zip', multipart({}, [['zip_file', 'x.zip', Buffer.from('PK not really')]]))).status, 400);
  });

  it('serves only annotated files: no traversal, no listing, no other name', async () => {
    const get = (p: string) => fetch(`${http.url}/media/${p}`, { headers: { authorization: `Bearer ${robot}` } });
    for (const p of ['..%2F..%2Fetc%2Fpasswd', '..%2Fincoming', `${'a'.repeat(64)}.jpg`, 'kit.jpg', '']) assert.equal((await get(p)).status, 404, p);
    assert.equal((await fetch(`${http.url}/media/${'a'.repeat(64)}.jpg`)).status, 401);
  });

  it('issues a toolkit once at a time, takes it back with photos and records an operator review', async () => {
    const engineerId = randomUUID();
    const event = { engineer_id: engineerId, employee_number: 'E-1001', name: 'Ada Lovelace', active: true, roles: [], version: '1', occurred_at: new Date().toISOString() };
    await rpc.emit(EngineerCreatedEvent, event as never);
    const issue = () => call('/transactions/issue', { method: 'POST', body: JSON.stringify({ toolkit_id: toolkitId, engineer_id: engineerId }) }, robot);
    let first = await issue();
    for (let i = 0; i < 50 && first.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      first = await issue();
    }
    assert.equal(first.status, 201);
    const loan = await json<{ id: string; status: string }>(first);
    assert.equal(loan.status, 'issued');
    assert.equal((await issue()).status, 409, 'a toolkit cannot be issued twice at once');

    const full = await post(`/transactions/${loan.id}/return`, multipart({}, [['images', 'kit.jpg', await toolPhoto(fullKitPatches())]]));
    assert.equal(full.status, 200);
    assert.equal((await json<{ status: string }>(full)).status, 'complete');

    const second = await json<{ id: string }>(await issue());
    const partial = await json<{ status: string; comparison: { lines: Array<{ class_name: string; missing: number }> } }>(
      await post(`/transactions/${second.id}/return`, multipart({}, [['images', 'kit.jpg', await toolPhoto(fullKitPatches(['hammer']))]])),
    );
    assert.equal(partial.status, 'incomplete');
    assert.equal(partial.comparison.lines.find((l) => l.class_name === 'hammer')?.missing, 1);

    const third = await json<{ id: string }>(await issue());
    const doubtful = await json<{ status: string }>(
      await post(`/transactions/${third.id}/return`, multipart({}, [['images', 'kit.jpg', await toolPhoto(fullKitPatches())], ['images', 'blurred.jpg', Buffer.from('garbage')]])),
    );
    assert.equal(doubtful.status, 'needs_review');
    assert.equal((await call(`/transactions/${third.id}/resolve`, { method: 'POST', body: JSON.stringify({ status: 'complete', reason: 'checked by hand' }) }, robot)).status, 403);
    const resolved = await json<{ status: string; detected_status: string; review: { resolved_by: string; reason: string } }>(
      await call(`/transactions/${third.id}/resolve`, { method: 'POST', body: JSON.stringify({ status: 'complete', reason: 'checked by hand' }) }),
    );
    assert.equal(resolved.status, 'complete');
    assert.equal(resolved.detected_status, 'needs_review');
    assert.deepEqual([resolved.review.resolved_by, resolved.review.reason], ['operator-ann', 'checked by hand']);

    await rpc.emit(EngineerDeactivatedEvent, { ...event, active: false, version: '2' } as never);
    let refused = 0;
    for (let i = 0; i < 50 && refused !== 409; i++) {
      await new Promise((r) => setTimeout(r, 100));
      refused = (await issue()).status;
    }
    assert.equal(refused, 409, 'a deactivated engineer gets no toolkit');
  });

  it('loses no image when a worker is killed mid-batch', async () => {
    const photos = await Promise.all(Array.from({ length: 24 }, (_, i) => toolPhoto([{ tool: 'hex_key_set', x: 48 * (i + 1), y: 48 * (i + 1), size: 192 }], { width: 1920, height: 1440, unique: true })));
    const [doomed, frozen] = workers;
    const handledBefore = await detectionsHandledBy(doomed);
    // The other worker is frozen: until it thaws, only the doomed one works on the batch.
    frozen.child.kill('SIGSTOP');
    let pending: Promise<Response>;
    try {
      pending = post('/predict/batch', multipart({}, photos.map((p, i): [string, string, Buffer] => ['images', `k-${i}.jpg`, p])));
      // Killed once it has answered an image of the batch, while it holds the next one.
      for (let tries = 0; (await detectionsHandledBy(doomed)) === handledBefore; tries++) {
        assert.ok(tries < 1500, 'the doomed worker never answered an image of the batch');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      doomed.child.kill('SIGKILL');
    } finally {
      frozen.child.kill('SIGCONT');
    }
    const body = await json<PredictBody>(await pending);
    assert.equal(body.successful, 24, JSON.stringify(body.results.filter((r) => !r.success)));
    body.results.forEach((r, i) => assert.deepEqual(r.detections.map((d) => d.box.x1), [48 * (i + 1)]));
    // What the frozen worker answered, it answered after the kill: the batch was cut in two.
    const by = new Set(body.results.map((r) => r.worker));
    assert.deepEqual([by.has(doomed.instanceId), by.has(frozen.instanceId)], [true, true], `answered by ${[...by]}`);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { DEMO_TOOL_CLASSES, Page } from '@fleet/contracts';
import { createTestVhost, paintedKitPhoto, TestVhost, zipOf } from '@fleet/testing';
import { startTestFleet, TestFleet } from '../src';

type Json = Record<string, unknown>;
interface Prediction {
  filename: string;
  success: boolean;
  count: number;
  worker?: string;
  detections: Array<{ class_name: string; box: { x1: number; y1: number; x2: number; y2: number } }>;
  annotated_image_url?: string;
  error?: { reason: string };
}
interface PredictBody {
  results: Prediction[];
  comparison?: { complete: boolean; missing_total: number };
}


const ALL_TOOLS = DEMO_TOOL_CLASSES.map((c) => c.name);

function form(fields: Record<string, string>, files: Array<[string, string, Buffer]>): FormData {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  for (const [field, name, bytes] of files) body.append(field, new Blob([new Uint8Array(bytes)]), name);
  return body;
}

describe('vision through the gateway: predictions by the worker pool, toolkit loans for engineers from base', () => {
  let fleet: TestFleet;
  let vhost: TestVhost;
  let mediaDir: string;
  let robot: string;
  let operator: string;
  let toolkitId: string;

  const send = async (method: string, route: string, token: string | undefined, body?: FormData | Json) => {
    const isForm = body instanceof FormData;
    const response = await fleet.request(route, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body && !isForm ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json, headers: response.headers };
  };

  before(async () => {
    vhost = await createTestVhost('fleet_e2e_vision');
    mediaDir = mkdtempSync(path.join(os.tmpdir(), 'vision-e2e-media-'));
    fleet = await startTestFleet({ env: { RABBITMQ_URL: vhost.url, VISION_MEDIA_DIR: mediaDir } });
    robot = await fleet.token('robot', 'robot-07');
    operator = await fleet.token('operator', 'operator-bo');
    const kits = await send('GET', '/vision_api/toolkits', robot);
    assert.equal(kits.status, 200, JSON.stringify(kits.body));
    toolkitId = (kits.body as unknown as Page<{ id: string }>).items[0].id;
  });
  after(async () => {
    await fleet?.stop();
    await vhost?.drop();
    if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
  });

  test('a robot checks a photo of the full kit: 11 tools found, kit complete, annotated image served', async () => {
    const { status, body, headers } = await send('POST', '/vision_api/predict', robot, form({ toolkit_id: toolkitId }, [['image', 'kit.jpg', await paintedKitPhoto(ALL_TOOLS)]]));
    assert.equal(status, 200, JSON.stringify(body));
    assert.ok(headers.get('x-request-id'));
    const result = (body as unknown as PredictBody).results[0];
    assert.deepEqual(result.detections.map((d) => d.class_name).sort(), [...ALL_TOOLS].sort());
    assert.deepEqual(result.detections.find((d) => d.class_name === 'voltage_tester')?.box, { x1: 320, y1: 320, x2: 384, y2: 384 });
    assert.equal((body as unknown as PredictBody).comparison?.complete, true);
    const media = await fleet.request(result.annotated_image_url!, { headers: { authorization: `Bearer ${robot}` } });
    assert.equal(media.status, 200);
    const meta = await sharp(Buffer.from(await media.arrayBuffer())).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 640, 640]);
    assert.equal((await fleet.request('/vision_api/media/..%2F..%2Fetc%2Fpasswd', { headers: { authorization: `Bearer ${robot}` } })).status, 404);
  });

  test('a batch is shared by both workers; a ZIP reports its non-image entry; a bad image is a 422', async () => {
    const photos = await Promise.all(Array.from({ length: 8 }, (_, i) => paintedKitPhoto(['hammer'], { png: true, shift: 16 * i })));
    const batch = await send('POST', '/vision_api/predict/batch', robot, form({}, photos.map((p, i): [string, string, Buffer] => ['images', `p${i}.png`, p])));
    assert.equal(batch.status, 200, JSON.stringify(batch.body));
    const results = (batch.body as unknown as PredictBody).results;
    results.forEach((r, i) => assert.deepEqual(r.detections.map((d) => d.box.x1), [32 + 16 * i]));
    assert.deepEqual(new Set(results.map((r) => r.worker)), new Set(['vision-worker-1', 'vision-worker-2']));

    const zip = await zipOf([['one.jpg', await paintedKitPhoto(['hammer', 'tape_measure'])], ['notes.txt', Buffer.from('not a photo')]]);
    const zipped = await send('POST', '/vision_api/predict/zip', robot, form({}, [['zip_file', 'photos.zip', zip]]));
    assert.equal(zipped.status, 200, JSON.stringify(zipped.body));
    assert.deepEqual((zipped.body as unknown as PredictBody).results.map((r) => [r.filename, r.success ? r.count : r.error?.reason]), [['one.jpg', 2], ['notes.txt', 'not_an_image']]);

    const bad = await send('POST', '/vision_api/predict', robot, form({}, [['image', 'photo.jpg', Buffer.from('GIF89a but not really')]]));
    assert.equal(bad.status, 422);
    assert.equal((await send('POST', '/vision_api/predict', undefined, form({}, []))).status, 401);
    assert.equal((await send('POST', '/vision_api/tools', robot, { name: 'x', serial_number: 'x', category: 'x' })).status, 403);
  });

  test('an engineer registered in base can take a kit; returning it without the hammer is incomplete', async () => {
    const engineer = await send('POST', '/base_api/admin/engineers', operator, { employee_number: `E-${Date.now()}`, first_name: 'Grace', last_name: 'Hopper', roles: ['technician'] });
    assert.equal(engineer.status, 201, JSON.stringify(engineer.body));
    const issue = () => send('POST', '/vision_api/transactions/issue', robot, { toolkit_id: toolkitId, engineer_id: engineer.body.id });
    let issued = await issue();
    // base publishes through its outbox; vision learns of the engineer a moment later.
    for (let i = 0; i < 100 && issued.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      issued = await issue();
    }
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.equal((await issue()).status, 409);
    const returned = await send('POST', `/vision_api/transactions/${issued.body.id}/return`, robot, form({}, [['images', 'kit.jpg', await paintedKitPhoto(ALL_TOOLS.filter((t) => t !== 'hammer'))]]));
    assert.equal(returned.status, 200, JSON.stringify(returned.body));
    assert.equal(returned.body.status, 'incomplete');
    assert.equal(returned.body.returned_by, 'robot-07');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestVhost, cropFace, franckFrames, groupPhoto, signTestToken, TestVhost } from '@fleet/testing';
import { startTestFleet, TestFleet } from '../src';

type Json = Record<string, unknown>;

function photos(field: string, images: Buffer[], fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  images.forEach((image, i) => form.append(field, new Blob([image], { type: 'image/jpeg' }), `${field}-${i}.jpg`));
  return form;
}

/**
 * Engineers' face login through the gateway: an operator enrolls photos in base, base calls the
 * face service over RabbitMQ (two instances, ChromaDB from npm), a robot logs in by face.
 */
describe('face login through nginx: base -> face over RabbitMQ', () => {
  let fleet: TestFleet;
  let vhost: TestVhost;
  let operator: string;
  let robot: string;
  let engineerId: string;
  const franck = franckFrames();

  const send = async (method: string, path: string, token: string, body?: FormData | Json) => {
    const isForm = body instanceof FormData;
    const response = await fleet.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body && !isForm ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Json };
  };

  before(async () => {
    vhost = await createTestVhost('fleet_e2e_face');
    fleet = await startTestFleet({ env: { RABBITMQ_URL: vhost.url, BOARDING_LIVENESS: 'motion' }, logLevel: 'info' });
    operator = await fleet.token('operator', 'operator-face');
    robot = await fleet.token('robot', 'robot-09');
    const created = await send('POST', '/base_api/admin/engineers', operator, { employee_number: 'E-FACE-1', first_name: 'Franck', last_name: 'Example', roles: ['technician'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    engineerId = created.body.id as string;
  });
  after(async () => {
    await fleet?.stop();
    await vhost?.drop();
  });

  test('an operator enrolls an engineer from two photos; a group photo is refused with the reason', async () => {
    const enrolled = await send('POST', `/base_api/admin/engineers/${engineerId}/face`, operator, photos('images', [franck[0], franck[5]]));
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));
    assert.equal(enrolled.body.templates_added, 2);
    const group = await send('POST', `/base_api/admin/engineers/${engineerId}/face`, operator, photos('images', [groupPhoto(1)]));
    assert.equal(group.status, 400);
    assert.deepEqual((group.body.details as { rejections: Array<{ reason: string }> }).rejections.map((r) => r.reason), ['multiple_faces']);
    const asRobot = await send('POST', `/base_api/admin/engineers/${engineerId}/face`, robot, photos('images', [franck[0]]));
    assert.equal(asRobot.status, 403);
  });

  test('a robot logs the engineer in from another frame; a stranger is "not recognised"; every attempt is recorded', async () => {
    const login = await send('POST', '/base_api/robot/auth/face', robot, photos('image', [franck[3]]));
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.recognised, true);
    assert.equal((login.body.engineer as Json).id, engineerId);
    assert.equal((login.body.engineer as Json).display_name, 'Franck E.');
    assert.ok((login.body.similarity as number) >= (login.body.threshold as number));

    const group = groupPhoto(3);
    const stranger = await cropFace(group, { x: 1074, y: 194, width: 229, height: 314 });
    const notRecognised = await send('POST', '/base_api/robot/auth/face', robot, photos('image', [stranger]));
    assert.equal(notRecognised.status, 200);
    assert.equal(notRecognised.body.recognised, false);
    assert.equal(notRecognised.body.engineer, null);

    const frames = await send('POST', '/base_api/robot/auth/face', robot, photos('frames', [franck[7], franck[8], franck[9]]));
    assert.equal(frames.body.recognised, true);
    assert.equal((frames.body.liveness as Json).experimental, true);

    const junk = await send('POST', '/base_api/robot/auth/face', robot, photos('image', [Buffer.from('not a photo at all')]));
    assert.equal(junk.status, 400);
    assert.equal((junk.body.details as { rejections: Array<{ reason: string }> }).rejections[0].reason, 'not_an_image');

    const attempts = await send('GET', '/base_api/admin/face-logins?robot_id=robot-09', operator);
    assert.equal(attempts.status, 200);
    const outcomes = (attempts.body.items as Array<{ outcome: string }>).map((a) => a.outcome).reverse();
    assert.ok((attempts.body.items as Array<Record<string, unknown>>).every((a) => a.robot_id === 'robot-09' && typeof a.created_at === 'string'), 'snake_case fields');
    assert.deepEqual(outcomes, ['recognised', 'not_recognised', 'recognised', 'rejected_image']);
  });

  test('forgetting the engineer removes their face: the next login is "not recognised"', async () => {
    const forgotten = await send('DELETE', `/base_api/admin/engineers/${engineerId}/face`, operator);
    assert.equal(forgotten.status, 200, JSON.stringify(forgotten.body));
    assert.equal(forgotten.body.templates_removed, 2);
    const login = await send('POST', '/base_api/robot/auth/face', robot, photos('image', [franck[3]]));
    assert.equal(login.body.recognised, false);
  });

  test('boarding: ticket and face in one call; a non-match never consumes the ticket; decisions are signed', async () => {
    const created = await send('POST', '/base_api/admin/robots', operator, { name: 'gate-face', station: 'Central', keycloak_client_id: 'e2e-gate-face' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const gate = await signTestToken(fleet.realm, { sub: 'sa-e2e-gate-face', roles: ['robot'], extraClaims: { azp: 'e2e-gate-face' } });
    const ticket = await send('POST', '/base_api/admin/tickets', operator, {
      code: 'FACE-BOARD-1', passenger_name: 'Franck Example', train: 'IC-9', car: '3', seat: '12A', departure_station: 'Central',
      valid_from: new Date(Date.now() - 3600_000).toISOString(), valid_until: new Date(Date.now() + 3600_000).toISOString(),
    });
    assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
    const ticketId = ticket.body.id as string;
    const board = (images: Buffer[], nonce: string) => send('POST', '/base_api/robot/boarding', gate, photos('frames', images, { code: 'FACE-BOARD-1', nonce }));

    // Not opted in yet: no face to compare with, the ticket stays unused.
    const notEnrolled = await board([franck[1], franck[2]], 'nonce-board-0001');
    assert.equal(notEnrolled.status, 200, JSON.stringify(notEnrolled.body));
    assert.equal(notEnrolled.body.outcome, 'not_enrolled');
    const enrolled = await send('POST', `/base_api/admin/tickets/${ticketId}/face`, operator, photos('images', [franck[0], franck[5]]));
    assert.equal(enrolled.status, 201, JSON.stringify(enrolled.body));

    // Someone else with the ticket: refused, not consumed.
    const group = groupPhoto(3);
    const stranger = await cropFace(group, { x: 1074, y: 194, width: 229, height: 314 });
    const mismatch = await board([stranger, stranger], 'nonce-board-0002');
    assert.equal(mismatch.body.outcome, 'face_mismatch');
    assert.equal((mismatch.body.ticket as Json).consumed, false);
    // The passenger, but a still photo held up (the same frame twice): liveness (motion) refuses.
    const still = await board([franck[4], franck[4]], 'nonce-board-0003');
    assert.equal(still.body.outcome, 'liveness_failed');
    // The passenger, live: boarded, and the ticket is used from now on.
    const boarded = await board([franck[6], franck[7], franck[8]], 'nonce-board-0004');
    assert.equal(boarded.body.outcome, 'boarded', JSON.stringify(boarded.body));
    assert.equal((boarded.body.ticket as Json).decision, 'valid');
    assert.ok((boarded.body.face as Json).similarity as number >= ((boarded.body.face as Json).threshold as number));
    const again = await board([franck[6], franck[7]], 'nonce-board-0005');
    assert.equal(again.body.outcome, 'ticket_refused');
    assert.equal((again.body.ticket as Json).decision, 'already_used');

    // The record is signed: the audit route recomputes the HMAC over the stored fields.
    const audit = await send('GET', `/base_api/admin/boarding-decisions/${boarded.body.decision_id as string}`, operator);
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    assert.equal(audit.body.signature_valid, true);
    assert.equal(audit.body.signature, boarded.body.signature);
    assert.equal(audit.body.outcome, 'boarded');
    assert.equal((await send('POST', '/base_api/robot/boarding', operator, photos('frames', [franck[1]], { code: 'FACE-BOARD-1', nonce: 'nonce-board-0006' }))).status, 403);
  });

  test('the face service has no route through the gateway', async () => {
    for (const path of ['/face_api/health', '/face/health', '/base_api/face/health']) {
      const response = await fleet.request(path);
      assert.equal(response.status, 404, path);
      await response.arrayBuffer();
    }
  });
});

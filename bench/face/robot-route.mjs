// The goal's path of bench:face: a test fleet (nginx, base x2, face x2, the launcher's ChromaDB)
// and robots that log an engineer in with `POST /base_api/robot/auth/face`, as a robot does.
import http from 'node:http';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const { startTestFleet } = require('../../e2e/dist/src');
const { FLEET_SERVICES } = require('@fleet/local-fleet');

/** A multipart/form-data body with one JPEG in `field`, built once so the client spends no CPU on it per call. */
export function multipartPhotos(field, images) {
  const boundary = `----bench${randomUUID().replace(/-/g, '')}`;
  const parts = images.flatMap((image, i) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${field}-${i}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    image,
    Buffer.from('\r\n'),
  ]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]) };
}

export function request(agent, url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: body ? { ...headers, 'content-length': body.length } : headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts base and face only (two instances each, the rest of the fleet is not on this path) on
 * `rabbitmqUrl`, so the bench's own RPC client reaches the same face instances. nginx's robot zone
 * is per address and every robot here is 127.0.0.1: it is raised for the run, as bench:tickets does.
 */
export async function startRouteFleet({ rabbitmqUrl, env = {} }) {
  process.env.GATEWAY_ROBOT_RATE ??= '100000r/s';
  const instances = Object.fromEntries(FLEET_SERVICES.map((spec) => [spec.name, spec.name === 'base' || spec.name === 'face' ? 2 : 0]));
  return startTestFleet({ instances, logLevel: 'warn', env: { RABBITMQ_URL: rabbitmqUrl, ...env } });
}

/** An engineer created and enrolled through the gateway, as an operator does; returns its id and the embedding model version. */
export async function enrollEngineer(fleet, agent, photos) {
  const operator = `Bearer ${await fleet.token('operator', 'operator-bench')}`;
  const created = await request(agent, `${fleet.gatewayUrl}/base_api/admin/engineers`, {
    method: 'POST',
    headers: { authorization: operator, 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ employee_number: `E-BENCH-${randomUUID().slice(0, 6)}`, first_name: 'Franck', last_name: 'Bench', roles: ['technician'] })),
  });
  if (created.status !== 201) throw new Error(`engineer: ${created.status} ${created.body}`);
  const engineerId = JSON.parse(created.body).id;
  const form = multipartPhotos('images', photos);
  const enrolled = await request(agent, `${fleet.gatewayUrl}/base_api/admin/engineers/${engineerId}/face`, { method: 'POST', headers: { authorization: operator, 'content-type': form.contentType }, body: form.body });
  if (enrolled.status !== 201) throw new Error(`enrollment: ${enrolled.status} ${enrolled.body}`);
  return { engineerId, modelVersion: JSON.parse(enrolled.body).model_version };
}

/**
 * `login(i)`: probe i % probes through the robot route with robot i % robots' token (base limits
 * each robot to 50 requests/s, so the concurrent loops use robots of their own); throws unless
 * the engineer is recognised.
 */
export async function robotLogin(fleet, agent, probes, engineerId, robots) {
  const tokens = await Promise.all(Array.from({ length: robots }, (_, i) => fleet.token('robot', `robot-bench-${i}`).then((t) => `Bearer ${t}`)));
  const bodies = probes.map((probe) => multipartPhotos('image', [probe]));
  const url = `${fleet.gatewayUrl}/base_api/robot/auth/face`;
  return async (i) => {
    const { contentType, body } = bodies[i % bodies.length];
    const reply = await request(agent, url, { method: 'POST', headers: { authorization: tokens[i % robots], 'content-type': contentType }, body });
    if (reply.status !== 200) throw new Error(`robot login ${i}: ${reply.status} ${reply.body}`);
    const view = JSON.parse(reply.body);
    if (!view.recognised || view.engineer?.id !== engineerId) throw new Error(`probe ${i % bodies.length} not recognised: ${reply.body}`);
  };
}

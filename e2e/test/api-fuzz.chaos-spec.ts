/**
 * Bad input across every documented route (issue 16): the cases come from the services' own
 * OpenAPI documents (e2e/src/api-fuzz.ts) and go through nginx with valid tokens. Every answer must
 * come (no hang), never be a 5xx, and every 4xx must be the fleet's JSON error. It runs with the
 * chaos suite (`npm run test:chaos`): a few thousand requests, one fleet.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzCases, FuzzCase, OpenApiDocument } from '../src/api-fuzz';
import { FleetRole, startTestFleet, TestFleet } from '../src';

const SERVICES = ['base', 'store', 'vision', 'video', 'translator'];
/** Longer than any route needs for a refusal; a case still unanswered then is a hang. */
const ANSWER_WITHIN_MS = 15_000;
const PARALLEL = 6;

interface Outcome {
  fuzz: FuzzCase;
  status: number | 'hang' | 'network';
  json: boolean;
  role: FleetRole;
}

describe('bad input on every documented route', () => {
  let fleet: TestFleet;
  const tokens = new Map<FleetRole, string>();

  before(async () => {
    fleet = await startTestFleet({ logLevel: 'warn' });
    tokens.set('admin', await fleet.token('admin', 'fuzz-admin', { roles: ['admin', 'operator'] }));
    tokens.set('robot', await fleet.token('robot', 'fuzz-robot'));
    tokens.set('drone', await fleet.token('drone', 'fuzz-drone'));
  });
  after(async () => {
    await fleet?.stop();
  });

  /** Sends one case; a 403 for the admin token means the route is for a robot or drone: try those. */
  async function send(fuzz: FuzzCase, roles: FleetRole[]): Promise<Outcome> {
    let last: Outcome | undefined;
    for (const role of roles) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), ANSWER_WITHIN_MS);
      try {
        const response = await fleet.request(fuzz.url, {
          method: fuzz.method,
          headers: { authorization: `Bearer ${tokens.get(role)}`, ...(fuzz.contentType ? { 'content-type': fuzz.contentType } : {}) },
          body: fuzz.body,
          signal: controller.signal,
        });
        const type = response.headers.get('content-type') ?? '';
        // A 2xx of a streaming route (a valid id by chance) is not read to its end.
        if (response.ok && /event-stream|x-flv|video|octet-stream/.test(type)) await response.body?.cancel();
        else await response.arrayBuffer();
        last = { fuzz, status: response.status, json: /application\/json/.test(type), role };
        if (response.status !== 403) return last;
      } catch {
        return { fuzz, status: controller.signal.aborted ? 'hang' : 'network', json: false, role };
      } finally {
        clearTimeout(timer);
      }
    }
    return last!;
  }

  it('answers every case, never with a 5xx, and every 4xx in JSON', { timeout: 20 * 60_000 }, async () => {
    const cases: FuzzCase[] = [];
    for (const service of SERVICES) {
      const response = await fleet.request(`/${service}_api/docs/json`);
      assert.equal(response.status, 200, `${service} docs`);
      cases.push(...fuzzCases((await response.json()) as OpenApiDocument));
    }
    const routes = new Set(cases.map((fuzz) => fuzz.route));
    assert.ok(routes.size >= 80, `only ${routes.size} routes documented`);

    const roleOfRoute = new Map<string, FleetRole[]>();
    const outcomes: Outcome[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) {
          const fuzz = cases[next++];
          const outcome = await send(fuzz, roleOfRoute.get(fuzz.route) ?? ['admin', 'robot', 'drone']);
          if (outcome.status !== 403 && typeof outcome.status === 'number') roleOfRoute.set(fuzz.route, [outcome.role]);
          outcomes.push(outcome);
        }
      }),
    );

    const byStatus = new Map<string, number>();
    for (const outcome of outcomes) {
      const key = typeof outcome.status === 'number' ? `${Math.floor(outcome.status / 100)}xx` : outcome.status;
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
    }
    console.log(`[fuzz] ${routes.size} routes x their cases = ${cases.length} requests: ${[...byStatus].map(([k, v]) => `${k} ${v}`).join(', ')}`);

    const broken = outcomes.filter((o) => o.status === 'hang' || o.status === 'network' || (typeof o.status === 'number' && o.status >= 500) || (typeof o.status === 'number' && o.status >= 400 && !o.json));
    const report = broken.map((o) => `${o.status}${o.json ? '' : ' (not JSON)'} ${o.fuzz.route} <- ${o.fuzz.label} [${o.role}]`);
    assert.deepEqual(report, [], `${broken.length} cases answered badly:\n${report.slice(0, 60).join('\n')}`);
  });
});

/**
 * `npm run simulate` drives a living station through the gateway with real credentials: robots
 * registered through the API sign in with their own client secrets, drones publish RTMP and post
 * telemetry, operators chat. This runs it against a fleet with its identity provider until each
 * kind of activity has happened, and checks the fleet recorded it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TicketDecision } from '@fleet/contracts';
import { startTestFleet, TestFleet } from '../src';
import { Station } from '../src/simulator';

/** How long the station may take to show every kind of activity on a loaded 2-core machine. */
const ACTIVITY_DEADLINE_MS = 120_000;

describe('the station simulator', () => {
  let fleet: TestFleet;
  let station: Station | undefined;

  before(async () => {
    fleet = await startTestFleet({ identity: true, logLevel: 'warn', only: ['base', 'face', 'store', 'video', 'vision', 'vision-worker'] });
  });
  after(async () => {
    await station?.stop();
    await fleet?.stop();
  });

  it('seeds a station and keeps it alive: heartbeats, ticket checks, orders, face logins, kits lent and returned, a live drone with telemetry, chat', { timeout: 5 * 60_000 }, async () => {
    station = new Station({ gatewayUrl: fleet.gatewayUrl, rtmpUrl: `rtmp://127.0.0.1:${fleet.rtmpPort}`, robots: 3, drones: 1 });
    await station.seed();
    await station.start();
    const activity = station.activity;
    const deadline = Date.now() + ACTIVITY_DEADLINE_MS;
    const done = () =>
      activity.heartbeats >= 3 &&
      (activity.checks[TicketDecision.Valid] ?? 0) >= 3 &&
      activity.orders.placed >= 1 &&
      activity.telemetry.accepted >= 3 &&
      activity.chat.received >= 2 &&
      activity.faceLogins.recognised >= 1 &&
      Object.values(activity.kits.returned).reduce((sum, n) => sum + n, 0) >= 1 &&
      activity.dronesPublishing === 1;
    while (!done()) {
      assert.ok(Date.now() < deadline, `not every kind of activity within ${ACTIVITY_DEADLINE_MS} ms: ${station.summary(0)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    // What the simulator counted, the fleet recorded, as an operator reads it.
    const operator = await fleet.token('operator');
    const read = async <T>(path: string): Promise<T> => {
      const response = await fleet.request(path, { headers: { authorization: `Bearer ${operator}` } });
      assert.equal(response.status, 200, path);
      return (await response.json()) as T;
    };
    const robots = await read<{ items: Array<{ name: string; online: boolean; last_status: { battery: number } | null }> }>('/base_api/admin/robots?online=true&limit=100');
    assert.equal(robots.items.filter((robot) => robot.name.startsWith('sim-robot-')).length, 3, 'every simulated robot is online');
    const checks = await read<{ total: number }>('/base_api/admin/ticket-checks?decision=valid&limit=1');
    assert.ok(checks.total >= 3, `valid checks recorded: ${checks.total}`);
    const logins = await read<{ items: Array<{ outcome: string }> }>('/base_api/admin/face-logins?limit=100');
    assert.ok(logins.items.some((login) => login.outcome === 'recognised'), 'a recognised face login is logged');
    const loans = await read<{ items: Array<{ status: string }> }>('/vision_api/transactions?limit=100');
    assert.ok(loans.items.some((loan) => loan.status !== 'issued'), 'a kit came back');
    const streams = await read<{ items: Array<{ live: boolean }> }>('/video_api/streams?limit=100');
    assert.ok(streams.items.some((stream) => stream.live), 'the drone is live');
    const totals = station.api.totals();
    assert.equal(totals.serverErrors, 0, JSON.stringify(Object.fromEntries(station.api.counts)));
    assert.equal(totals.timeouts, 0);
    assert.match(station.summary(10), /^\[sim\] 10s · robots 3 · heartbeats \d+ · checks .*\bvalid \d+/);
  });
});

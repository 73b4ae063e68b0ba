import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually, makeTestClip, publishRtmp, Publisher, sleep } from '@fleet/testing';
import type { Page } from 'playwright-core';
import type { Journey, JourneyFleet } from './journey';

const VIDEO = '[data-testid="live-video"]';

/** The live <video>'s playback position, in seconds. */
const currentTime = (page: Page) => page.locator(VIDEO).evaluate((video) => (video as unknown as { currentTime: number }).currentTime);
const overlayAltitude = (page: Page) => page.getByTestId('overlay-altitude').textContent();

/** The overlay shows the sample of the frame on screen: never one from later on the stream clock. */
async function assertOverlayNotAhead(page: Page): Promise<void> {
  const overlay = page.getByTestId('telemetry-overlay');
  const [frame, sample] = await Promise.all([overlay.getAttribute('data-frame-ms'), overlay.getAttribute('data-sample-stream-ms')]);
  assert.ok(frame !== null && sample !== null, 'the overlay knows the frame and its sample');
  assert.ok(Number(sample) <= Number(frame), `the sample (stream ${sample} ms) is not ahead of the frame on screen (${frame} ms)`);
}

/**
 * The drone's telemetry, as a drone sends it: every 250 ms one sample placed on the stream clock
 * (`stream_ms` = the live stream's latest video timestamp), its altitude one metre higher each time.
 */
function postTelemetry(fleet: JourneyFleet, droneId: string, droneToken: string, operatorToken: string): { stop(): Promise<number> } {
  let running = true;
  let posted = 0;
  const loop = (async () => {
    while (running) {
      const stream = (await (await fleet.request(`/video_api/drones/${droneId}/stream`, { headers: { authorization: `Bearer ${operatorToken}` } })).json()) as { live: boolean; clock?: { stream_ms: number } | null };
      if (stream.live && stream.clock) {
        const sample = { ts: new Date().toISOString(), lat: 52.37 + posted * 1e-4, lon: 4.89 + posted * 1e-4, alt_m: 100 + posted, speed_mps: 5, heading_deg: 90, battery_pct: 90, signal_dbm: -60, stream_ms: stream.clock.stream_ms };
        const answer = await fleet.request(`/video_api/drones/${droneId}/telemetry`, { method: 'POST', headers: { authorization: `Bearer ${droneToken}`, 'content-type': 'application/json' }, body: JSON.stringify(sample) });
        // The journey ends by cutting the stream off and retiring the drone: later posts may be refused.
        if (answer.status === 202) posted++;
        await answer.body?.cancel();
      }
      await sleep(250);
    }
  })();
  // Failures surface in stop(), not as an unhandled rejection mid-journey.
  const outcome = loop.then(
    () => null,
    (error: unknown) => error,
  );
  return {
    stop: async () => {
      running = false;
      const error = await outcome;
      if (error) throw error;
      return posted;
    },
  };
}

export const dronesJourneys: Journey[] = [
  {
    page: 'drones',
    title: 'an operator registers a drone, watches its ffmpeg stream with telemetry in sync, sees its history, then rotates its key and retires it',
    async run({ fleet, browser, unique }) {
      const operator = await browser.signIn('operator');
      let publisher: Publisher | undefined;
      let telemetry: { stop(): Promise<number> } | undefined;
      try {
        const { page } = operator;
        await operator.open('/drones', 'Drones');

        // Register: the stream key and the drone's client secret are shown once.
        const name = `Journey drone ${unique}`;
        const clientId = `drone-journey-${unique}`;
        await page.getByRole('button', { name: 'Register drone' }).click();
        await page.getByLabel('Name').fill(name);
        await page.getByLabel('Keycloak client id').fill(clientId);
        await page.getByRole('dialog').getByRole('button', { name: 'Register' }).click();
        const streamKey = (await page.getByTestId('stream-key').textContent())?.trim() ?? '';
        const clientSecret = (await page.getByTestId('client-secret').textContent())?.trim() ?? '';
        assert.match(streamKey, /^[\w-]{20,}$/);
        assert.ok(clientSecret.length > 10, 'the drone client secret is shown once');
        await operator.screenshot('drones-register');
        await page.getByRole('button', { name: 'I have stored it' }).click();
        await page.getByTestId('stream-key').waitFor({ state: 'detached' });
        await page.getByRole('heading', { name, level: 2, exact: true }).waitFor();
        const droneId = /\/drones\/([0-9a-f-]{36})/.exec(page.url())?.[1];
        assert.ok(droneId, `the page opened the new drone (${page.url()})`);
        await page.getByTestId('not-live').waitFor();

        // The drone publishes a test pattern over RTMP and posts telemetry on its stream clock.
        const clipDir = path.join(os.tmpdir(), 'fleet-console-journeys');
        mkdirSync(clipDir, { recursive: true });
        const clip = await makeTestClip(clipDir, { seconds: 4, gop: 15 });
        publisher = publishRtmp(clip, `rtmp://127.0.0.1:${fleet.rtmpPort}/live/${streamKey}`);
        const droneToken = await fleet.clientToken(clientId, clientSecret);
        telemetry = postTelemetry(fleet, droneId, droneToken, await fleet.token('operator'));

        // The video plays, and while it advances the overlay shows newer and newer samples.
        await page.locator(VIDEO).waitFor();
        await page.waitForFunction(`(document.querySelector('${VIDEO}')?.currentTime ?? 0) > 0.5`, undefined, { timeout: 30_000 });
        await page.getByTestId('overlay-altitude').waitFor({ timeout: 30_000 });
        const seen = new Set<string>();
        const start = await currentTime(page);
        for (let i = 0; i < 3; i++) {
          const before = (await overlayAltitude(page)) ?? '';
          seen.add(before);
          await assertOverlayNotAhead(page);
          // A newer sample: a different altitude, for a later frame.
          await page.getByTestId('overlay-altitude').filter({ hasNotText: before }).filter({ hasText: /\d/ }).waitFor({ timeout: 15_000 });
        }
        seen.add((await overlayAltitude(page)) ?? '');
        const end = await currentTime(page);
        assert.ok(end > start + 0.4, `the video advanced (${start} -> ${end} s)`);
        assert.ok(seen.size >= 4, `the overlay changed with the picture: ${[...seen].join(', ')}`);
        assert.match((await page.getByTestId('overlay-frame').textContent()) ?? '', /frame \d+\.\d+ s/);
        await page.getByTestId('drone-track').waitFor();
        await page.getByTestId('link-state').filter({ hasText: 'healthy' }).waitFor();
        await page.getByRole('table', { name: 'Connection history' }).getByRole('row').filter({ hasText: 'publish' }).filter({ hasText: 'open' }).first().waitFor();
        await operator.screenshot('drones');

        // Rotate the key (confirmed): a new key is shown once and the publisher is cut off.
        await page.getByRole('button', { name: 'Rotate key' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Rotate key' }).click();
        const newKey = (await page.getByTestId('stream-key').textContent())?.trim();
        assert.ok(newKey && newKey !== streamKey, 'a new stream key');
        await page.getByRole('button', { name: 'I have stored it' }).click();
        await page.getByTestId('not-live').waitFor();
        await page.getByRole('table', { name: 'Connection history' }).getByRole('row').filter({ hasText: 'key rotated' }).first().waitFor();


        // Retire (confirmed): the drone shows as retired and its actions are gone.
        await page.getByRole('button', { name: 'Retire' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Retire drone' }).click();
        await page.getByRole('heading', { name, level: 2, exact: true }).locator('..').getByText(/^retired/).waitFor();
        assert.equal(await page.getByRole('button', { name: 'Rotate key' }).count(), 0);
        operator.assertNoPageErrors();
      } finally {
        await telemetry?.stop().catch(() => 0);
        await publisher?.stop();
        await operator.close();
      }
    },
  },
  {
    page: 'drones',
    title: "a drone with recording on streams a clip; its recorded segment plays in the page",
    async run({ fleet, browser, unique }) {
      const token = await fleet.token('operator');
      const answer = await fleet.request('/video_api/drones', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Recorded drone ${unique}`, keycloak_client_id: `drone-recorded-${unique}`, record: true }),
      });
      assert.equal(answer.status, 201);
      const drone = (await answer.json()) as { id: string; stream_key: string };
      // One pass of the 4 s clip: when the publisher ends, the recorder closes the segment.
      const clipDir = path.join(os.tmpdir(), 'fleet-console-journeys');
      mkdirSync(clipDir, { recursive: true });
      const publisher = publishRtmp(await makeTestClip(clipDir, { seconds: 4, gop: 15 }), `rtmp://127.0.0.1:${fleet.rtmpPort}/live/${drone.stream_key}`, { loop: false });
      assert.equal(await publisher.exited, 0, publisher.output());
      // The recorder writes the MP4 index when the stream ends: wait for a finished segment.
      const auth = { headers: { authorization: `Bearer ${token}` } };
      await eventually(
        async () => {
          const page = (await (await fleet.request(`/video_api/drones/${drone.id}/recordings`, auth)).json()) as { items: Array<{ url: string }> };
          if (page.items.length === 0) return false;
          const file = await fleet.request(page.items[0].url, auth);
          return file.ok && Buffer.from(await file.arrayBuffer()).includes('moov');
        },
        (finished) => finished,
        20_000,
      );

      const operator = await browser.signIn('operator');
      try {
        const { page } = operator;
        await operator.open(`/drones/${drone.id}?tab=recordings`, 'Drones');
        await page.getByRole('button', { name: /^Play / }).first().click();
        await page.waitForFunction(`(document.querySelector('[data-testid="recording-video"]')?.duration ?? 0) > 1`, undefined, { timeout: 30_000 });
        await operator.screenshot('drones-recording');
        await page.keyboard.press('Escape');
        await page.getByTestId('recording-video').waitFor({ state: 'detached' });
        operator.assertNoPageErrors();
      } finally {
        await publisher.stop();
        await operator.close();
        // Journeys may run against a shared fleet: leave no active drone behind.
        await fleet.request(`/video_api/drones/${drone.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).then((r) => r.body?.cancel());
      }
    },
  },
];

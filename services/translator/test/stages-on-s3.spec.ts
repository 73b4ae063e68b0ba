import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createObjectStore, ObjectStore } from '@fleet/storage';
import { S3RVER_CREDENTIALS, S3Server, startS3Server } from '@fleet/testing';
import { createEngines } from '../src/engines/engines';
import { probeMedia } from '../src/media/ffprobe';
import { uploadKey } from '../src/storage/storage';
import { StageCache } from '../src/worker/stage-cache';
import { StagesService } from '../src/worker/stages.service';

/**
 * The worker's stages with their files in an S3-compatible bucket: a real server on loopback
 * (s3rver), the real AWS SDK, ffmpeg, pocketsphinx, apertium and espeak-ng. The stages are the
 * worker's own code, given the store the worker builds for STORAGE_BACKEND=s3.
 */
describe('translator stages on an S3 bucket (s3rver)', () => {
  let work: string;
  let server: S3Server;
  let store: ObjectStore;
  let stages: StagesService;
  const input = uploadKey('0'.repeat(64));
  const job_id = 'job-on-s3';

  before(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'translator-s3-'));
    server = await startS3Server(path.join(work, 's3'), ['fleet-files']);
    const s3 = { endpoint: server.endpoint, region: 'us-east-1', bucket: 'fleet-files', prefix: 'translator/', forcePathStyle: true, credentials: S3RVER_CREDENTIALS };
    store = createObjectStore({ backend: 's3', s3 }, { root: path.join(work, 'local'), scratch: 'tmp' });
    const engines = createEngines({ stt: 'pocketsphinx', mt: 'apertium', tts: 'espeak', openai: { sttModel: '', chatModel: '', ttsModel: '', ttsVoice: '' }, libretranslate: {}, maxCps: 17, maxTempo: 1.5 });
    stages = new StagesService(engines, store, new StageCache(store, 'worker-s3'));

    // Three seconds of English speech over a test pattern, as an operator would upload it.
    const speech = path.join(work, 'speech.wav');
    const clip = path.join(work, 'clip.mp4');
    execFileSync('espeak-ng', ['-v', 'en', '-w', speech, 'Good morning. The train to Madrid leaves from platform four.']);
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-i', speech, '-shortest', '-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', clip]);
    const received = await store.scratchFile();
    execFileSync('cp', [clip, received]);
    await store.moveIn(received, input, { ifAbsent: true });
  });
  after(async () => {
    await store?.close();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('runs every stage from the bucket into the bucket, and leaves no download behind', async () => {
    const audio = await stages.extractAudio({ job_id, input });
    assert.equal(audio.cached, false);
    assert.ok(audio.duration_sec > 2 && audio.has_video, JSON.stringify(audio));
    assert.ok(((await store.stat(audio.audio))?.size ?? 0) > 16_000 * 2, `${audio.audio} holds the 16 kHz track`);

    const cues = await stages.transcribe({ job_id, audio: audio.audio, language: 'en' });
    assert.ok(cues.cue_count >= 1, `pocketsphinx heard ${cues.cue_count} cue(s)`);
    const translated = await stages.translate({ job_id, cues: cues.cues, source: 'en', target: 'es' });
    assert.match((await store.read(translated.srt))?.toString('utf8') ?? '', /^1\r?\n\d{2}:\d{2}:\d{2},\d{3} --> /);
    const dub = await stages.synthesize({ job_id, cues: translated.cues, language: 'es', duration_sec: audio.duration_sec });
    const video = await stages.mux({ job_id, video: input, audio: dub.audio, subtitles: translated.srt, language: 'es' });

    const local = await store.localCopy(video.video);
    assert.ok(local);
    const kinds = (await probeMedia(local.path)).streams.map((s) => s.codec_type).sort();
    await local.release();
    // The dub first, then the original sound, then the Spanish subtitles.
    assert.deepEqual(kinds, ['audio', 'audio', 'subtitle', 'video']);
    assert.deepEqual(readdirSync(path.join(work, 'local', 'tmp')), [], 'every download and work folder is gone from scratch');
  });

  it('finds a finished stage in the bucket: the same input is a lookup', async () => {
    const again = await stages.extractAudio({ job_id, input });
    assert.equal(again.cached, true);
    assert.match(again.audio, /^cache\/extract_audio\/[0-9a-f]{64}\/audio\.wav$/);
  });

  it('an input missing from the bucket is a plain error (retried, then dead-lettered), naming the bucket', async () => {
    await assert.rejects(stages.extractAudio({ job_id, input: uploadKey('f'.repeat(64)) }), (error: Error) => {
      assert.ok(!('code' in error), 'not an RpcError: the worker retries it');
      assert.match(error.message, /is not in this worker's storage \(s3:\/\/fleet-files\/translator\/\)/);
      return true;
    });
  });
});

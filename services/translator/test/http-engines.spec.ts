import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';
import { createEngines } from '../src/engines/engines';
import type { EngineSettings } from '../src/config/translator.config';

/**
 * The HTTP engines' side of their wire contracts (OpenAI-compatible speech and chat, and
 * LibreTranslate), against a local server that answers the way those APIs document. No such
 * server can run here, so this checks what we send and how we read the answers, not a model.
 */
describe('HTTP engines', () => {
  let server: http.Server;
  let baseUrl: string;
  const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'http-engines-'));
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.url === '/v1/audio/transcriptions') {
          return json(200, { text: 'Mind the gap. Stand back please.', segments: [{ start: 0.5, end: 4.5, text: ' Mind the gap. Stand back please.' }] });
        }
        if (req.url === '/v1/chat/completions') {
          const texts = JSON.parse(JSON.parse(body.toString()).messages[1].content) as string[];
          return json(200, { choices: [{ message: { content: `Here you go:\n${JSON.stringify(texts.map((t) => `ES(${t})`))}` } }] });
        }
        if (req.url === '/v1/audio/speech') return res.writeHead(200, { 'content-type': 'audio/wav' }).end(Buffer.from('RIFFfake'));
        if (req.url === '/lt/translate') {
          const { q, target } = JSON.parse(body.toString()) as { q: string[]; target: string };
          if (target === 'xx') return json(400, { error: 'xx is not supported' });
          if (target === 'yy') return json(503, { error: 'busy' });
          return json(200, { translatedText: q.map((t) => `${target}:${t}`) });
        }
        json(404, {});
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settings = (overrides: Partial<EngineSettings>): EngineSettings => ({
    stt: 'openai',
    mt: 'openai',
    tts: 'openai',
    openai: { baseUrl: `${baseUrl}/v1`, apiKey: 'k-123', sttModel: 'whisper-1', chatModel: 'gpt-test', ttsModel: 'tts-1', ttsVoice: 'alloy' },
    libretranslate: { url: `${baseUrl}/lt` },
    maxCps: 17,
    maxTempo: 1.5,
    ...overrides,
  });

  it('OpenAI-compatible speech to text: multipart with model and language, segments split into sentence cues', async () => {
    const engines = createEngines(settings({}));
    const wav = path.join(dir, 'in.wav');
    writeFileSync(wav, Buffer.from('RIFF....WAVE'));
    const cues = await engines.stt.transcribe(wav, 'en');
    assert.deepEqual(
      cues.map((c) => c.text),
      ['Mind the gap.', 'Stand back please.'],
    );
    assert.equal(cues[0].start, 0.5);
    assert.equal(cues[1].end, 4.5);
    const request = seen.find((s) => s.url === '/v1/audio/transcriptions')!;
    assert.equal(request.headers.authorization, 'Bearer k-123');
    const form = request.body.toString('latin1');
    for (const field of ['model', 'language', 'response_format']) assert.match(form, new RegExp(`name="${field}"`));
    assert.match(form, /verbose_json/);
    assert.equal(engines.stt.id, 'openai-stt:whisper-1');
  });

  it('chat translation keeps one line per input, in order; speech writes the WAV it gets', async () => {
    const engines = createEngines(settings({}));
    assert.deepEqual(await engines.mt.translate(['one', 'two'], 'en', 'es'), ['ES(one)', 'ES(two)']);
    const out = path.join(dir, 'out.wav');
    await engines.tts.synthesize('hola', 'es', out);
    assert.equal(readFileSync(out, 'utf8'), 'RIFFfake');
    const speech = JSON.parse(seen.find((s) => s.url === '/v1/audio/speech')!.body.toString()) as Record<string, string>;
    assert.deepEqual(speech, { model: 'tts-1', voice: 'alloy', input: 'hola', response_format: 'wav' });
  });

  it('LibreTranslate: batch of texts; a 4xx is refused for good, a 5xx is left to be retried', async () => {
    const engines = createEngines(settings({ mt: 'libretranslate' }));
    assert.deepEqual(await engines.mt.translate(['a', 'b'], 'en', 'es'), ['es:a', 'es:b']);
    await assert.rejects(engines.mt.translate(['a'], 'en', 'xx'), (error: unknown) => error instanceof RpcError && error.code === RpcErrorCode.InvalidParams);
    await assert.rejects(engines.mt.translate(['a'], 'en', 'yy'), (error: unknown) => !(error instanceof RpcError) && /503/.test((error as Error).message));
  });

  it('refuses to boot a worker whose HTTP engine has no address', () => {
    assert.throws(() => createEngines(settings({ openai: { ...settings({}).openai, baseUrl: undefined } })), /OPENAI_BASE_URL/);
    assert.throws(() => createEngines(settings({ stt: 'pocketsphinx', tts: 'espeak', mt: 'libretranslate', libretranslate: {} })), /LIBRETRANSLATE_URL/);
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import type { TimedCue } from '@fleet/contracts';
import { cuesFromSegments, ReadabilityRules } from '../subtitles/readable-cues';
import { checkHttp } from './engine-errors';
import type { SpeechToTextEngine, TextToSpeechEngine, TranslationEngine } from './engine.types';

export interface OpenAiSettings {
  baseUrl: string;
  apiKey?: string;
  sttModel: string;
  chatModel: string;
  ttsModel: string;
  ttsVoice: string;
}

const TIMEOUT_MS = 300_000;

function headers(settings: OpenAiSettings): Record<string, string> {
  return settings.apiKey ? { authorization: `Bearer ${settings.apiKey}` } : {};
}

function url(settings: OpenAiSettings, path: string): string {
  return `${settings.baseUrl.replace(/\/$/, '')}${path}`;
}

/** `POST /audio/transcriptions` (OpenAI, or a compatible server such as whisper.cpp's or vLLM's). */
export class OpenAiSpeechToText implements SpeechToTextEngine {
  readonly id: string;

  constructor(
    private readonly settings: OpenAiSettings,
    private readonly rules: ReadabilityRules,
  ) {
    this.id = `openai-stt:${settings.sttModel}`;
  }

  async transcribe(wavFile: string, language: string): Promise<TimedCue[]> {
    const form = new FormData();
    form.append('file', new Blob([await readFile(wavFile)], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', this.settings.sttModel);
    form.append('language', language);
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'segment');
    const response = await checkHttp(
      await fetch(url(this.settings, '/audio/transcriptions'), { method: 'POST', headers: headers(this.settings), body: form, signal: AbortSignal.timeout(TIMEOUT_MS) }),
      'speech-to-text server',
    );
    const body = (await response.json()) as { segments?: Array<{ start: number; end: number; text: string }>; text?: string; duration?: number };
    const segments = body.segments?.length ? body.segments : [{ start: 0, end: body.duration ?? 0, text: body.text ?? '' }];
    return cuesFromSegments(segments.filter((s) => s.text.trim()).map((s) => ({ start: s.start, end: s.end, text: s.text.trim() })), this.rules);
  }
}

/** Translation by an OpenAI-compatible chat model, asked for a JSON array of the same length. */
export class OpenAiTranslation implements TranslationEngine {
  readonly id: string;

  constructor(private readonly settings: OpenAiSettings) {
    this.id = `openai-chat:${settings.chatModel}`;
  }

  async translate(texts: string[], source: string, target: string): Promise<string[]> {
    if (texts.length === 0) return [];
    const response = await checkHttp(
      await fetch(url(this.settings, '/chat/completions'), {
        method: 'POST',
        headers: { ...headers(this.settings), 'content-type': 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        body: JSON.stringify({
          model: this.settings.chatModel,
          temperature: 0,
          messages: [
            {
              role: 'system',
              content: `Translate each subtitle line from ${source} to ${target}. Answer with only a JSON array of ${texts.length} strings, one per input line, same order.`,
            },
            { role: 'user', content: JSON.stringify(texts) },
          ],
        }),
      }),
      'chat server',
    );
    const body = (await response.json()) as { choices?: Array<{ message?: { content?: string } }> };
    const content = body.choices?.[0]?.message?.content ?? '';
    const match = /\[[\s\S]*\]/.exec(content);
    const lines = match ? (JSON.parse(match[0]) as unknown[]) : [];
    if (lines.length !== texts.length || lines.some((l) => typeof l !== 'string')) throw new Error(`chat model returned ${lines.length} lines for ${texts.length}`);
    return lines as string[];
  }
}

/** `POST /audio/speech` with `response_format: wav`. */
export class OpenAiTextToSpeech implements TextToSpeechEngine {
  readonly id: string;

  constructor(private readonly settings: OpenAiSettings) {
    this.id = `openai-tts:${settings.ttsModel}:${settings.ttsVoice}`;
  }

  async synthesize(text: string, _language: string, outWav: string): Promise<void> {
    const response = await checkHttp(
      await fetch(url(this.settings, '/audio/speech'), {
        method: 'POST',
        headers: { ...headers(this.settings), 'content-type': 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
        body: JSON.stringify({ model: this.settings.ttsModel, voice: this.settings.ttsVoice, input: text, response_format: 'wav' }),
      }),
      'text-to-speech server',
    );
    await writeFile(outWav, Buffer.from(await response.arrayBuffer()));
  }
}

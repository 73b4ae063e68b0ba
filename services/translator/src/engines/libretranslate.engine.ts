import { checkHttp } from './engine-errors';
import type { TranslationEngine } from './engine.types';

/** A LibreTranslate server (`POST /translate` with an array `q`, which it answers in order). */
export class LibreTranslateEngine implements TranslationEngine {
  readonly id: string;

  constructor(private readonly settings: { url: string; apiKey?: string }) {
    this.id = `libretranslate:${settings.url}`;
  }

  async translate(texts: string[], source: string, target: string): Promise<string[]> {
    if (texts.length === 0) return [];
    const response = await checkHttp(
      await fetch(`${this.settings.url.replace(/\/$/, '')}/translate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        signal: AbortSignal.timeout(300_000),
        body: JSON.stringify({ q: texts, source, target, format: 'text', ...(this.settings.apiKey ? { api_key: this.settings.apiKey } : {}) }),
      }),
      'LibreTranslate',
    );
    const body = (await response.json()) as { translatedText?: string[] | string };
    const lines = Array.isArray(body.translatedText) ? body.translatedText : [body.translatedText ?? ''];
    if (lines.length !== texts.length) throw new Error(`LibreTranslate returned ${lines.length} lines for ${texts.length}`);
    return lines;
  }
}

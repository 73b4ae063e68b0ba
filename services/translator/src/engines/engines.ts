import type { EngineSettings } from '../config/translator.config';
import { DEFAULT_RULES, ReadabilityRules } from '../subtitles/readable-cues';
import { ApertiumEngine } from './apertium.engine';
import type { SpeechToTextEngine, TextToSpeechEngine, TranslationEngine } from './engine.types';
import { EspeakEngine } from './espeak.engine';
import { LibreTranslateEngine } from './libretranslate.engine';
import { OpenAiSettings, OpenAiSpeechToText, OpenAiTextToSpeech, OpenAiTranslation } from './openai.engines';
import { PocketsphinxEngine } from './pocketsphinx.engine';

export interface Engines {
  stt: SpeechToTextEngine;
  mt: TranslationEngine;
  tts: TextToSpeechEngine;
  rules: ReadabilityRules;
  maxTempo: number;
}

function openAi(settings: EngineSettings): OpenAiSettings {
  if (!settings.openai.baseUrl) throw new Error('OPENAI_BASE_URL must be set when an engine is "openai"');
  return { ...settings.openai, baseUrl: settings.openai.baseUrl };
}

/** The engines the env selects; a misconfiguration fails the worker's boot, not a job. */
export function createEngines(settings: EngineSettings): Engines {
  const rules = { ...DEFAULT_RULES, maxCps: settings.maxCps };
  const stt = settings.stt === 'openai' ? new OpenAiSpeechToText(openAi(settings), rules) : new PocketsphinxEngine(rules);
  let mt: TranslationEngine = new ApertiumEngine();
  if (settings.mt === 'openai') mt = new OpenAiTranslation(openAi(settings));
  if (settings.mt === 'libretranslate') {
    if (!settings.libretranslate.url) throw new Error('LIBRETRANSLATE_URL must be set when TRANSLATOR_MT_ENGINE=libretranslate');
    mt = new LibreTranslateEngine({ url: settings.libretranslate.url, apiKey: settings.libretranslate.apiKey });
  }
  const tts = settings.tts === 'openai' ? new OpenAiTextToSpeech(openAi(settings)) : new EspeakEngine();
  return { stt, mt, tts, rules, maxTempo: settings.maxTempo };
}

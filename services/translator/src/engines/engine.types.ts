import type { TimedCue } from '@fleet/contracts';

/**
 * One interface per stage that has a choice of engine. Offline defaults come from Debian
 * packages; HTTP engines let a deployment plug in better models (see the README).
 */
export interface SpeechToTextEngine {
  /** Part of the stage's cache key: another engine (or model) means another output. */
  readonly id: string;
  /** Timed, readable cues of the speech in a 16 kHz mono WAV. */
  transcribe(wavFile: string, language: string): Promise<TimedCue[]>;
}

export interface TranslationEngine {
  readonly id: string;
  /** One translation per input text, same order. */
  translate(texts: string[], source: string, target: string): Promise<string[]>;
}

export interface TextToSpeechEngine {
  readonly id: string;
  /** Writes the spoken text as a WAV file. */
  synthesize(text: string, language: string, outWav: string): Promise<void>;
}

import { existsSync } from 'node:fs';
import type { TimedCue } from '@fleet/contracts';
import { runTool } from '../media/run-tool';
import { cuesFromWords, ReadabilityRules, TimedWord } from '../subtitles/readable-cues';
import { unsupported } from './engine-errors';
import type { SpeechToTextEngine } from './engine.types';

/** Acoustic models Debian ships, per language (`pocketsphinx-en-us`). */
const MODELS: Record<string, { hmm: string; lm: string; dict: string }> = {
  en: {
    hmm: '/usr/share/pocketsphinx/model/en-us/en-us',
    lm: '/usr/share/pocketsphinx/model/en-us/en-us.lm.bin',
    dict: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict',
  },
};

/** Word lines of `pocketsphinx_continuous -time yes`: `word start end confidence`. */
export function parsePocketsphinxWords(output: string): TimedWord[] {
  const words: TimedWord[] = [];
  for (const line of output.split('\n')) {
    const m = /^(\S+) (\d+\.\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(line.trim());
    if (!m || /^<.*>$|^\[.*\]$/.test(m[1])) continue;
    // Alternative pronunciations come back as `word(2)`.
    words.push({ word: m[1].replace(/\(\d+\)$/, ''), start: Number(m[2]), end: Number(m[3]) });
  }
  return words;
}

/** Offline speech recognition (CMU Sphinx): fast, English only, rough accuracy. */
export class PocketsphinxEngine implements SpeechToTextEngine {
  readonly id = 'pocketsphinx-5prealpha';

  constructor(private readonly rules: ReadabilityRules) {}

  async transcribe(wavFile: string, language: string): Promise<TimedCue[]> {
    const model = MODELS[language];
    if (!model) throw unsupported(`pocketsphinx has no model for language "${language}" (only ${Object.keys(MODELS).join(', ')}); configure TRANSLATOR_STT_ENGINE=openai`);
    const args = ['-infile', wavFile, '-time', 'yes', '-logfn', '/dev/null'];
    if (existsSync(model.lm)) args.push('-hmm', model.hmm, '-lm', model.lm, '-dict', model.dict);
    const { stdout } = await runTool('pocketsphinx_continuous', args);
    return cuesFromWords(parsePocketsphinxWords(stdout), this.rules);
  }
}

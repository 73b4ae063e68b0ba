import { runTool } from '../media/run-tool';
import type { TextToSpeechEngine } from './engine.types';

/** Offline formant speech synthesis; `-v <lang>` picks espeak-ng's voice for the language. */
export class EspeakEngine implements TextToSpeechEngine {
  readonly id = 'espeak-ng';

  async synthesize(text: string, language: string, outWav: string): Promise<void> {
    await runTool('espeak-ng', ['-v', language, '-w', outWav, '--', text], { timeoutMs: 60_000 });
  }
}

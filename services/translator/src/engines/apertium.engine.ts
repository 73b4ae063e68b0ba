import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runTool } from '../media/run-tool';
import { unsupported } from './engine-errors';
import type { TranslationEngine } from './engine.types';

/** ISO 639-1 -> apertium's three-letter codes for the pairs Debian packages. */
const CODES: Record<string, string> = { en: 'eng', es: 'spa', ca: 'cat', fr: 'fra', pt: 'por', it: 'ita', de: 'deu', gl: 'glg', eo: 'epo' };

/** Offline rule-based translation; one process per call, one line per text (apertium keeps lines). */
export class ApertiumEngine implements TranslationEngine {
  readonly id = 'apertium';
  private modes?: Promise<Set<string>>;

  async translate(texts: string[], source: string, target: string): Promise<string[]> {
    const pair = `${CODES[source] ?? source}-${CODES[target] ?? target}`;
    if (!(await this.installedModes()).has(pair)) throw unsupported(`apertium has no ${source}->${target} pair installed (apt install apertium-${pair})`);
    if (texts.length === 0) return [];
    const dir = await mkdtemp(path.join(os.tmpdir(), 'apertium-'));
    let stdout: string;
    try {
      // A file, not stdin: apertium reads /dev/stdin, which cannot be opened when stdin is a socket (as Node's pipes are).
      const input = path.join(dir, 'input.txt');
      await writeFile(input, `${texts.map((t) => t.replace(/\s+/g, ' ').trim()).join('\n')}\n`);
      ({ stdout } = await runTool('apertium', ['-u', pair, input], { timeoutMs: 120_000 }));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const lines = stdout.replace(/\n$/, '').split('\n');
    if (lines.length !== texts.length) throw new Error(`apertium returned ${lines.length} lines for ${texts.length}`);
    return lines.map((line) => line.replace(/\s+/g, ' ').trim());
  }

  private installedModes(): Promise<Set<string>> {
    this.modes ??= runTool('apertium', ['-l']).then(({ stdout }) => new Set(stdout.split(/\s+/).filter(Boolean)));
    return this.modes;
  }
}

import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StageResult } from '@fleet/contracts';
import { exists, sha256Hex, Storage } from '../storage/storage';

export type StageOutput<R extends StageResult> = Omit<R, keyof StageResult>;

/**
 * Stage outputs stored under the hash of the stage's inputs (engine id included), so a repeated
 * stage, a repeated job or a second job on the same file is a lookup. The output is built in a
 * private tmp folder and renamed into place whole, so a worker killed half way leaves nothing a
 * reader could take for a result, and two workers racing on the same key both end up with one.
 */
export class StageCache {
  constructor(
    private readonly storage: Storage,
    private readonly worker: string,
  ) {}

  static key(...inputs: unknown[]): string {
    return sha256Hex(...inputs.map((input) => JSON.stringify(input) ?? 'undefined'));
  }

  async run<R extends StageResult>(stage: string, key: string, produce: (tmpDir: string, finalDir: string) => Promise<StageOutput<R>>): Promise<R> {
    const started = Date.now();
    const finalDir = this.storage.cacheDirOf(stage, key);
    const resultFile = path.join(this.storage.resolve(finalDir), 'result.json');
    if (await exists(resultFile)) {
      const output = JSON.parse(await readFile(resultFile, 'utf8')) as StageOutput<R>;
      return { ...output, key, cached: true, worker: this.worker, elapsed_ms: Date.now() - started } as R;
    }
    const tmp = await this.storage.tmpDir();
    const output = await produce(tmp, finalDir);
    await writeFile(path.join(tmp, 'result.json'), JSON.stringify(output));
    await this.storage.publish(tmp, finalDir);
    return { ...output, key, cached: false, worker: this.worker, elapsed_ms: Date.now() - started } as R;
  }
}

import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StageResult } from '@fleet/contracts';
import type { ObjectStore } from '@fleet/storage';
import { sha256Hex, STAGE_RESULT, stageDirKey } from '../storage/storage';

export type StageOutput<R extends StageResult> = Omit<R, keyof StageResult>;

/**
 * Stage outputs stored under the hash of the stage's inputs (engine id included), so a repeated
 * stage, a repeated job or a second job on the same file is a lookup. The output is built in a
 * private scratch folder and moved in whole with its result.json last, so a worker killed half way
 * leaves nothing a reader could take for a result, and two workers racing on the same key both
 * end up with one.
 */
export class StageCache {
  constructor(
    private readonly storage: ObjectStore,
    private readonly worker: string,
  ) {}

  static key(...inputs: unknown[]): string {
    return sha256Hex(...inputs.map((input) => JSON.stringify(input) ?? 'undefined'));
  }

  async run<R extends StageResult>(stage: string, key: string, produce: (tmpDir: string, finalDir: string) => Promise<StageOutput<R>>): Promise<R> {
    const started = Date.now();
    const finalDir = stageDirKey(stage, key);
    const cached = await this.storage.read(`${finalDir}/${STAGE_RESULT}`);
    if (cached) {
      const output = JSON.parse(cached.toString('utf8')) as StageOutput<R>;
      return { ...output, key, cached: true, worker: this.worker, elapsed_ms: Date.now() - started } as R;
    }
    const tmp = await this.storage.scratchDir();
    try {
      const output = await produce(tmp, finalDir);
      await writeFile(path.join(tmp, STAGE_RESULT), JSON.stringify(output));
      await this.storage.moveDirIn(tmp, finalDir, STAGE_RESULT);
      return { ...output, key, cached: false, worker: this.worker, elapsed_ms: Date.now() - started } as R;
    } finally {
      // Moved in, there is nothing left; after a failure, the half-made output goes.
      await rm(tmp, { recursive: true, force: true });
    }
  }
}

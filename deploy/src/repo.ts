import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root: this file compiles to deploy/dist/src/repo.js. */
export function repoRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const GENERATOR = path.join(REPO_ROOT, 'gateway', 'console', 'scripts', 'api-types.mjs');

/** gateway/console/scripts/api-types.mjs, the one generator of the console's API types. */
export interface ConsoleTypeGenerator {
  typesOf(service: string, document: unknown): Promise<string>;
  generatedFile(service: string): string;
  compareWithGateway(gatewayUrl: string): Promise<Array<{ service: string; file: string; expected: string; actual?: string }>>;
}

/** Loads the generator (ESM, as openapi-typescript is) from this CommonJS build with a real dynamic import. */
export function loadConsoleTypeGenerator(): Promise<ConsoleTypeGenerator> {
  const load = new Function('url', 'return import(url)') as (url: string) => Promise<ConsoleTypeGenerator>;
  return load(pathToFileURL(GENERATOR).href);
}

export interface ConsoleTypesCheck {
  file: string;
  expected: string;
  actual: string | undefined;
}

/**
 * The console's generated types of one service (gateway/console/src/api/generated/<service>.ts)
 * against what its OpenAPI document gives now. Each service's openapi test asserts they are equal;
 * with UPDATE_CONSOLE_TYPES=1 it rewrites the file first (how a change to a service's API reaches
 * the console: run that service's openapi test with it set).
 */
export async function checkConsoleTypes(service: string, document: unknown): Promise<ConsoleTypesCheck> {
  const generator = await loadConsoleTypeGenerator();
  const expected = await generator.typesOf(service, document);
  const file = generator.generatedFile(service);
  if (process.env.UPDATE_CONSOLE_TYPES === '1') writeFileSync(file, expected);
  let actual: string | undefined;
  try {
    actual = readFileSync(file, 'utf8');
  } catch {
    actual = undefined;
  }
  return { file, expected, actual };
}

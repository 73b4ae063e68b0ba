import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as ts from 'typescript';

/**
 * The @nestjs/swagger CLI plugin, run the way its docs prescribe for builds without the Nest CLI
 * ("SWC builder" / monorepo section): `PluginMetadataGenerator` with the plugin's `ReadonlyVisitor`
 * prints a `metadata.ts` that `SwaggerModule.loadPluginMetadata` loads at boot. The repo compiles
 * with plain `tsc -b`, so this is what lets DTOs describe themselves (types, optionality,
 * class-validator limits, JSDoc) without an `@ApiProperty` on every field.
 *
 * The generated file is checked in next to each service's `docs.ts`; `npm run openapi:metadata`
 * rewrites it and libs/openapi's test fails while a checked-in file is stale.
 */

interface Visitor {
  key: string;
  visit(program: ts.Program, sf: ts.SourceFile): unknown;
  collect(): Record<string, unknown>;
  typeImports: Record<string, string>;
}

// Both packages are ESM-only and loaded only by the generator (never by a running service), so they
// are required lazily; `@nestjs/swagger/plugin` is an `exports` subpath that node10 typing cannot see.
const load = createRequire(__filename);

/**
 * Files whose classes the plugin describes: request DTOs (`.dto.ts`), entities, and the answers
 * routes give (`.view.ts`, e.g. `TicketView`), which clients generate their types from.
 */
export const DTO_FILE_SUFFIXES = ['.dto.ts', '.entity.ts', '.view.ts'];

/**
 * Message handlers (`*.rpc.controller.ts`, STYLE.md §2) have no HTTP route to describe, and the
 * metadata imports each file it names when the document is first built: a worker pool's handler
 * named there (vision's DetectRpcController) would pull the model runtime into the HTTP process.
 */
export const NO_HTTP_ROUTES_SUFFIX = '.rpc.controller.ts';

/** Whether the plugin describes this file of the project's `src/`. */
export const describesFile = (file: string, srcDir: string): boolean => file.startsWith(srcDir + path.sep) && !file.endsWith(NO_HTTP_ROUTES_SUFFIX);

/** The generated file of a project (a service folder such as `services/store`). */
export function pluginMetadataFile(projectDir: string): string {
  return path.join(projectDir, 'src', 'metadata.ts');
}

/** Every service that serves OpenAPI, i.e. has a `src/docs.ts`. */
export function documentedServices(repoRoot: string): string[] {
  const services = path.join(repoRoot, 'services');
  return readdirSync(services)
    .map((name) => path.join(services, name))
    .filter((dir) => existsSync(path.join(dir, 'src', 'docs.ts')));
}

/** Generates the plugin metadata of a project's `src/` and returns the file's text (writes nothing). */
export function generatePluginMetadata(projectDir: string): string {
  const typescript = load('typescript') as typeof ts;
  const { PluginMetadataGenerator } = load('@nestjs/cli/lib/compiler/plugins/plugin-metadata-generator.js') as {
    PluginMetadataGenerator: new () => { generate(options: { visitors: Visitor[]; outputDir: string; filename: string; tsProgramRef: ts.Program }): void };
  };
  const { ReadonlyVisitor } = load('@nestjs/swagger/plugin') as { ReadonlyVisitor: new (options: Record<string, unknown>) => Visitor };

  const srcDir = path.resolve(projectDir, 'src');
  const visitor = new ReadonlyVisitor({ pathToSource: srcDir, introspectComments: true, classValidatorShim: true, dtoFileNameSuffix: DTO_FILE_SUFFIXES });
  // Libraries' sources are in the program (imports resolve to them through the path aliases) but
  // their classes are not this project's to describe: only the project's own files are visited,
  // message handlers left out.
  const ownFilesOnly: Visitor = {
    key: visitor.key,
    visit: (program, sf) => (describesFile(sf.fileName, srcDir) ? visitor.visit(program, sf) : undefined),
    collect: () => visitor.collect(),
    get typeImports() {
      return visitor.typeImports;
    },
  };
  const outputDir = mkdtempSync(path.join(tmpdir(), 'openapi-metadata-'));
  try {
    new PluginMetadataGenerator().generate({ visitors: [ownFilesOnly], outputDir, filename: 'metadata.ts', tsProgramRef: createProgram(typescript, projectDir, srcDir) });
    return libraryImportsByAlias(readFileSync(path.join(outputDir, 'metadata.ts'), 'utf8'));
  } finally {
    rmSync(outputDir, { recursive: true, force: true });
  }
}

/** Regenerates a project's `src/metadata.ts`; returns whether it changed. */
export function writePluginMetadata(projectDir: string): boolean {
  const file = pluginMetadataFile(projectDir);
  const text = generatePluginMetadata(projectDir);
  let current: string | undefined;
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === text) return false;
  writeFileSync(file, text);
  return true;
}

function createProgram(typescript: typeof ts, projectDir: string, srcDir: string): ts.Program {
  const parsed = typescript.getParsedCommandLineOfConfigFile(path.join(projectDir, 'tsconfig.json'), undefined, {
    ...typescript.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(typescript.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${projectDir}/tsconfig.json`);
  // Tests and the generated file itself are left out: neither may feed the document.
  const rootNames = parsed.fileNames.filter((file) => file.startsWith(srcDir + path.sep) && file !== path.join(srcDir, 'metadata.ts'));
  return typescript.createProgram({ rootNames, options: { ...parsed.options, noEmit: true } });
}

/**
 * The visitor names a type from a library by its source path (`../../../../libs/contracts/src/x`),
 * which exists neither next to the compiled file nor within the project's boundary: import it by
 * the library's alias instead (every DTO a route uses is exported from its library's index).
 */
function libraryImportsByAlias(text: string): string {
  const aliased = text.replace(/(["'])(?:\.\.\/)+libs\/([a-z0-9-]+)\/src\/[^"']+\1/g, (_match, quote: string, lib: string) => `${quote}@fleet/${lib}${quote}`);
  // Two files of one library are now one import: keep one entry per key in the `t` table.
  return aliased.replace(/(const t = \{\n)([\s\S]*?)(\n\s*\};)/, (_match, open: string, entries: string, close: string) =>
    open + [...new Set(entries.split(/,\n/))].join(',\n') + close,
  );
}

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { documentedServices, generatePluginMetadata, pluginMetadataFile, writePluginMetadata } from './plugin-metadata';

/**
 * `npm run openapi:metadata [services/x ...] [--check]`: regenerates `src/metadata.ts` of every
 * service that serves OpenAPI (has a `src/docs.ts`), or with `--check` only reports stale ones.
 */
const root = path.resolve(__dirname, '..', '..', '..', '..');
const args = process.argv.slice(2);
const check = args.includes('--check');
const named = args.filter((arg) => !arg.startsWith('--'));
const projects = named.length ? named.map((dir) => path.resolve(root, dir)) : documentedServices(root);

let stale = 0;
for (const project of projects) {
  const name = path.relative(root, project);
  if (check) {
    const current = existsSync(pluginMetadataFile(project)) ? readFileSync(pluginMetadataFile(project), 'utf8') : '';
    if (current !== generatePluginMetadata(project)) {
      stale++;
      console.error(`${name}/src/metadata.ts is stale: run npm run openapi:metadata`);
    }
  } else {
    console.log(`${name}/src/metadata.ts ${writePluginMetadata(project) ? 'regenerated' : 'unchanged'}`);
  }
}
process.exit(stale ? 1 : 0);

import path from 'node:path';
import { repoRoot } from './repo.js';
import { secretCommands } from './security/secrets.js';
import { settingsFromEnv } from './settings.js';
import { synthesize } from './synth.js';
import { writeManifests } from './write.js';

// `npm run k8s:synth`: validate every object, then write deploy/dist/{manifests/*.yaml,kustomization.yaml}.
const settings = settingsFromEnv();
const manifests = synthesize(settings);
const outDir = path.join(repoRoot(), 'deploy', 'dist');
const files = writeManifests(outDir, manifests);
console.log(`${manifests.length} objects validated, ${files.length} files in ${path.relative(process.cwd(), outDir) || '.'}/manifests (kubectl apply -k ${path.relative(process.cwd(), outDir)})`);
console.log(`namespace ${settings.namespace}, public address ${settings.publicUrl}, images ${settings.imageRegistry}/<service>:${settings.imageTag}`);
console.log('Secrets to create once (README, Kubernetes), no value is in the manifests:');
for (const line of secretCommands(settings.namespace)) console.log(`  ${line}`);

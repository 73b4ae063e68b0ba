import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** `kid` of the development signing key (tools/token.mjs puts it in every token header). */
export const DEV_KEY_ID = 'fleet-dev';

/** Where tools/start.mjs keeps the development key pair (`.dev/` is gitignored). */
export function devKeyFiles(root: string): { privateKey: string; publicKey: string } {
  return {
    privateKey: path.join(root, '.dev', 'keycloak-dev-key.pem'),
    publicKey: path.join(root, '.dev', 'keycloak-dev-key.pub'),
  };
}

/** Base64 SPKI DER of the development key; only the local launcher hands it to the services. */
export function readDevPublicKey(root: string): string {
  const file = devKeyFiles(root).publicKey;
  if (!existsSync(file)) throw new Error(`Development key missing (${file}): run \`npm start\`, which creates it`);
  return readFileSync(file, 'utf8').trim();
}

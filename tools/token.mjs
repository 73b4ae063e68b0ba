// `npm run -s token -- <role> [subject]`: prints a bearer token for the locally started fleet,
// signed with the development key in .dev/ (made on first use). Only `npm start` configures the
// services to trust that key; compose and production trust the Keycloak realm's own key.
//   TOKEN=$(npm run -s token -- operator)
//   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/base_api/...
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Same file names and kid as gateway/local/src/dev-key.ts. */
export const DEV_KEY_ID = 'fleet-dev';
export const DEV_KEY_FILES = {
  privateKey: path.join(root, '.dev', 'keycloak-dev-key.pem'),
  publicKey: path.join(root, '.dev', 'keycloak-dev-key.pub'),
};

/**
 * role → [default subject, azp (the Keycloak client the token would come from)]. A robot or drone
 * is its own client (azp null here): its token's subject and azp both name that client.
 */
const ROLES = {
  operator: ['operator-dev', 'fleet-console'],
  admin: ['admin-dev', 'fleet-console'],
  robot: ['robot-01', null],
  drone: ['drone-01', null],
};

/** Makes the development RSA key pair when it is missing; returns the private key. */
export function ensureDevKey() {
  if (!existsSync(DEV_KEY_FILES.privateKey) || !existsSync(DEV_KEY_FILES.publicKey)) {
    mkdirSync(path.dirname(DEV_KEY_FILES.privateKey), { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(DEV_KEY_FILES.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(DEV_KEY_FILES.publicKey, `${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}\n`);
    console.error(`[token] made a development key pair in ${path.relative(process.cwd(), path.dirname(DEV_KEY_FILES.privateKey))}/ (dev only, never deploy it)`);
  }
  return createPrivateKey(readFileSync(DEV_KEY_FILES.privateKey));
}

function loadDotEnv() {
  const file = path.join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** The issuer the launcher gives the services: KEYCLOAK_URL, else the local gateway's /keycloak. */
export function devIssuer(env = process.env) {
  const keycloakUrl = env.KEYCLOAK_URL || `http://127.0.0.1:${env.GATEWAY_PORT || 8080}/keycloak`;
  return `${keycloakUrl}/realms/${env.KEYCLOAK_REALM || 'fleet'}`;
}

export async function signDevToken(role, subject) {
  const { SignJWT } = await import('jose');
  const [defaultSubject, consoleClient] = ROLES[role];
  const sub = subject || defaultSubject;
  const azp = consoleClient ?? sub;
  const privateKey = ensureDevKey();
  // Sanity: the pair on disk must match, or the fleet would refuse every token.
  const expected = readFileSync(DEV_KEY_FILES.publicKey, 'utf8').trim();
  if (createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64') !== expected) {
    throw new Error(`${DEV_KEY_FILES.publicKey} does not match ${DEV_KEY_FILES.privateKey}; delete both and restart npm start`);
  }
  return new SignJWT({ typ: 'Bearer', azp, preferred_username: sub, realm_access: { roles: [role] } })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: DEV_KEY_ID })
    .setSubject(sub)
    .setIssuer(devIssuer())
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [role, subject] = process.argv.slice(2);
  if (!role || !(role in ROLES)) {
    console.error(`Usage: npm run -s token -- <role> [subject]\n  role: one of ${Object.keys(ROLES).join(', ')}${role ? `\n  unknown role "${role}"` : ''}`);
    process.exit(2);
  }
  loadDotEnv();
  try {
    process.stdout.write(`${await signDevToken(role, subject)}\n`);
  } catch (error) {
    console.error(`[token] ${error.message}`);
    process.exit(1);
  }
}

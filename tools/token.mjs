// `npm run -s token -- <role> [subject]`: prints an access token from the fleet's identity
// provider (the local one under `npm start`, or Keycloak): operators and admins sign in with the
// password grant through the public client `fleet-cli`; a robot or drone is its own confidential
// client and uses client credentials. The credentials come from the realm file, which holds
// development-only passwords and secrets.
//   TOKEN=$(npm run -s token -- operator)
//   curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8080/base_api/...
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REALM_FILE = path.join(root, 'gateway', 'keycloak', 'fleet-realm.json');
const CLI_CLIENT = 'fleet-cli';

/** role → the realm user who signs in, or the client that is the robot or drone (the default subject). */
const ROLES = {
  operator: { user: 'operator' },
  admin: { user: 'admin' },
  robot: { client: 'robot-01' },
  drone: { client: 'drone-01' },
};

function loadDotEnv() {
  const file = path.join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** The realm's token endpoint: KEYCLOAK_URL, else the local gateway's /keycloak. */
export function tokenEndpoint(env = process.env) {
  const keycloakUrl = env.KEYCLOAK_URL || `http://127.0.0.1:${env.GATEWAY_PORT || 8080}/keycloak`;
  return `${keycloakUrl}/realms/${env.KEYCLOAK_REALM || 'fleet'}/protocol/openid-connect/token`;
}

/** The form to post: password grant for a user, client credentials (HTTP Basic) for a robot or drone. */
function grantFor(role, subject, realm) {
  const { user, client } = ROLES[role];
  if (user) {
    const username = subject || user;
    const found = realm.users?.find((u) => u.username === username);
    const password = found?.credentials?.find((c) => c.type === 'password')?.value;
    if (!password || !found.realmRoles?.includes(role)) throw new Error(`the realm file has no ${role} user "${username}" with a password`);
    return { body: { grant_type: 'password', client_id: CLI_CLIENT, username, password, scope: 'openid' } };
  }
  const clientId = subject || client;
  const found = realm.clients?.find((c) => c.clientId === clientId);
  if (!found?.secret) {
    throw new Error(`the realm file has no ${role} client "${clientId}"; a robot or drone registered later gets its own client secret when it is registered (use ${client} here)`);
  }
  return { body: { grant_type: 'client_credentials' }, basic: Buffer.from(`${clientId}:${found.secret}`).toString('base64') };
}

export async function fetchToken(role, subject, env = process.env) {
  const realm = JSON.parse(readFileSync(REALM_FILE, 'utf8'));
  const { body, basic } = grantFor(role, subject, realm);
  const url = tokenEndpoint(env);
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(basic ? { authorization: `Basic ${basic}` } : {}) },
      body: new URLSearchParams(body),
    });
  } catch (error) {
    throw new Error(`cannot reach ${url} (${error.cause?.message ?? error.message}): is the fleet running (npm start)?`);
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok || !answer.access_token) throw new Error(`${url} answered ${response.status}: ${answer.error_description ?? answer.error ?? 'no token'}`);
  return answer.access_token;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [role, subject] = process.argv.slice(2);
  if (!role || !(role in ROLES)) {
    console.error(`Usage: npm run -s token -- <role> [subject]\n  role: one of ${Object.keys(ROLES).join(', ')}${role ? `\n  unknown role "${role}"` : ''}`);
    process.exit(2);
  }
  loadDotEnv();
  try {
    process.stdout.write(`${await fetchToken(role, subject)}\n`);
  } catch (error) {
    console.error(`[token] ${error.message}`);
    process.exit(1);
  }
}

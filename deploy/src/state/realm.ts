import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repo.js';

interface RealmClient {
  clientId: string;
  secret?: string;
}
interface RealmUser {
  username: string;
  serviceAccountClientId?: string;
  credentials?: { type: string; value: string; temporary?: boolean }[];
}
type Realm = Record<string, unknown> & { clients: RealmClient[]; users?: RealmUser[] };

/** Client secrets and user passwords of the realm file, each taken from a key of fleet-secrets at import. */
const CLIENT_SECRETS: Record<string, string> = { 'fleet-provisioner': 'KEYCLOAK_PROVISIONER_SECRET' };
const USER_PASSWORDS: Record<string, string> = { operator: 'FLEET_OPERATOR_PASSWORD', admin: 'FLEET_ADMIN_PASSWORD' };
/** The realm file's example robot and drone: in a cluster they are registered through the admin API. */
const EXAMPLE_CLIENTS = new Set(['robot-01', 'drone-01']);

/**
 * gateway/keycloak/fleet-realm.json made fit for a cluster: it carries development secrets
 * (compose imports them and asks you to change them after). Here every secret becomes a
 * `${PLACEHOLDER}` that the import Job fills from fleet-secrets, the example clients are left
 * out, and a secret this file does not know about stops the synth rather than reach a cluster.
 */
export function productionRealm(): { realm: Realm; placeholders: string[] } {
  const source = JSON.parse(readFileSync(path.join(repoRoot(), 'gateway', 'keycloak', 'fleet-realm.json'), 'utf8')) as Realm;
  const placeholders: string[] = [];
  const clients = source.clients
    .filter((client) => !EXAMPLE_CLIENTS.has(client.clientId))
    .map((client) => {
      if (client.secret === undefined) return client;
      const key = CLIENT_SECRETS[client.clientId];
      if (!key) throw new Error(`Realm client ${client.clientId} has a secret with no placeholder: add it to deploy/src/state/realm.ts`);
      placeholders.push(key);
      return { ...client, secret: `\${${key}}` };
    });
  const users = (source.users ?? [])
    .filter((user) => !(user.serviceAccountClientId && EXAMPLE_CLIENTS.has(user.serviceAccountClientId)))
    .map((user) => {
      if (!user.credentials?.length) return user;
      const key = USER_PASSWORDS[user.username];
      if (!key) throw new Error(`Realm user ${user.username} has a credential with no placeholder: add it to deploy/src/state/realm.ts`);
      placeholders.push(key);
      // The first sign-in asks for a new password: the one from the Secret only opens the door.
      return { ...user, credentials: [{ type: 'password', value: `\${${key}}`, temporary: true }] };
    });
  return { realm: { ...source, clients, users }, placeholders };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVELOPMENT_SECRETS } from '@fleet/config';
import { SECRETS, type SecretSpec } from '../src/security/secrets.js';
import { files, named, ofKind, podSpecs } from './fixture.js';

// A segment of the name (KEYCLOAK_URL is not a key, OPENAI_API_KEY is).
const SECRET_NAME = /(^|_)(SECRET|PASSWORD|PASS|KEY|TOKEN|CREDENTIALS?)(_|$)/;
const declared = new Map(Object.values(SECRETS as Record<string, SecretSpec>).map((secret) => [secret.name, secret]));

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

function containerEnvs(): { where: string; env: EnvVar[] }[] {
  return podSpecs().flatMap(({ owner, spec }) => spec.containers.map((container: { name: string; env?: EnvVar[] }) => ({ where: `${owner.metadata.name}/${container.name}`, env: container.env ?? [] })));
}

describe('secrets', () => {
  it('writes no Secret with data: every Secret is created in the cluster, never by the manifests', () => {
    for (const secret of ofKind('Secret')) assert.ok(!secret.data && !secret.stringData, `Secret ${secret.metadata.name} carries values`);
  });

  it('gives every secret-like variable its value from a Secret, never as a literal', () => {
    let fromSecrets = 0;
    for (const { where, env } of containerEnvs()) {
      for (const variable of env.filter((v) => SECRET_NAME.test(v.name))) {
        assert.equal(variable.value, undefined, `${where}: ${variable.name} is a literal`);
        assert.ok(variable.valueFrom?.secretKeyRef, `${where}: ${variable.name} is not read from a Secret`);
        fromSecrets++;
      }
    }
    assert.ok(fromSecrets >= 20, `only ${fromSecrets} secret variables`);
  });

  it('puts a password into a URL only as $(VAR) of a variable read from a Secret earlier in the list', () => {
    let urls = 0;
    for (const { where, env } of containerEnvs()) {
      env.forEach((variable, index) => {
        const match = /^[a-z]+:\/\/([^:/@]+):([^@]+)@/.exec(variable.value ?? '');
        if (!match) return;
        urls++;
        // The user may be a role's name (svc_base); the password never is a literal.
        const reference = /^\$\(([A-Z_]+)\)$/.exec(match[2]);
        assert.ok(reference, `${where}: ${variable.name} embeds a literal password`);
        const source = env.slice(0, index).find((earlier) => earlier.name === reference[1]);
        assert.ok(source?.valueFrom?.secretKeyRef, `${where}: ${variable.name} uses $(${reference[1]}), which is not a Secret defined before it`);
      });
    }
    assert.ok(urls >= 20, `only ${urls} URLs with credentials`);
  });

  it('refers only to the declared Secrets and keys, optional exactly where declared so', () => {
    for (const { where, env } of containerEnvs()) {
      for (const { secretKeyRef } of env.map((v) => v.valueFrom ?? {})) {
        if (!secretKeyRef) continue;
        const secret = declared.get(secretKeyRef.name);
        assert.ok(secret, `${where}: Secret ${secretKeyRef.name} is not declared in deploy/src/security/secrets.ts`);
        const optional = (secret.optionalKeys ?? []).includes(secretKeyRef.key);
        assert.ok(optional || secret.keys.includes(secretKeyRef.key), `${where}: key ${secretKeyRef.key} of ${secretKeyRef.name}`);
        assert.equal(secretKeyRef.optional ?? false, optional, `${where}: ${secretKeyRef.key} optional`);
      }
    }
  });

  it('contains none of the development secrets the repository publishes', () => {
    for (const [file, text] of files) {
      for (const secret of DEVELOPMENT_SECRETS) assert.ok(!text.includes(secret), `${file} contains ${secret}`);
    }
  });

  it('imports the realm with every client secret and password as a placeholder filled from fleet-secrets', () => {
    const realmImport = named('KeycloakRealmImport', 'fleet-keycloak-realm-fleet').spec ?? {};
    const values = [
      ...realmImport.realm.clients.filter((client: { secret?: string }) => client.secret !== undefined).map((client: { secret: string }) => client.secret),
      ...realmImport.realm.users.flatMap((user: { credentials?: { value: string }[] }) => (user.credentials ?? []).map((credential) => credential.value)),
    ];
    assert.ok(values.length >= 3, 'the provisioner secret and the two passwords');
    for (const value of values) {
      const placeholder = /^\$\{([A-Z_]+)\}$/.exec(value);
      assert.ok(placeholder, `realm value ${value} is a literal`);
      assert.deepEqual(realmImport.placeholders[placeholder[1]], { secret: { name: SECRETS.fleet.name, key: placeholder[1] } });
    }
  });
});

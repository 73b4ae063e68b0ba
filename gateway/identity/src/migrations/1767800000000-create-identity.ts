import { MigrationInterface, QueryRunner } from 'typeorm';
import { IDENTITY_SCHEMA } from '../schema';

/**
 * What must survive a restart: oidc-provider's models (sessions, interactions, grants, codes,
 * refresh tokens; one row per model and id), clients (from the realm file and created at runtime),
 * signing keys, the cookie-signing secret and the brute-force counters.
 */
export class CreateIdentity1767800000000 implements MigrationInterface {
  name = 'CreateIdentity1767800000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${IDENTITY_SCHEMA}"`;
    await runner.query(`
      CREATE TABLE ${s}.oidc_model (
        model text NOT NULL,
        id text NOT NULL,
        payload jsonb NOT NULL,
        grant_id text,
        user_code text,
        uid text,
        expires_at timestamptz,
        consumed_at timestamptz,
        PRIMARY KEY (model, id)
      )`);
    await runner.query(`CREATE INDEX oidc_model_grant_id_idx ON ${s}.oidc_model (grant_id) WHERE grant_id IS NOT NULL`);
    await runner.query(`CREATE INDEX oidc_model_uid_idx ON ${s}.oidc_model (model, uid) WHERE uid IS NOT NULL`);
    await runner.query(`CREATE INDEX oidc_model_user_code_idx ON ${s}.oidc_model (model, user_code) WHERE user_code IS NOT NULL`);
    await runner.query(`CREATE INDEX oidc_model_expires_at_idx ON ${s}.oidc_model (expires_at) WHERE expires_at IS NOT NULL`);
    await runner.query(`
      CREATE TABLE ${s}.client (
        client_id text PRIMARY KEY CHECK (client_id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$'),
        name text,
        enabled boolean NOT NULL DEFAULT true,
        public_client boolean NOT NULL DEFAULT false,
        secret text,
        standard_flow_enabled boolean NOT NULL DEFAULT false,
        direct_access_grants_enabled boolean NOT NULL DEFAULT false,
        service_accounts_enabled boolean NOT NULL DEFAULT false,
        redirect_uris text[] NOT NULL DEFAULT '{}',
        post_logout_redirect_uris text[] NOT NULL DEFAULT '{}',
        service_account_roles text[] NOT NULL DEFAULT '{}',
        source text NOT NULL CHECK (source IN ('realm', 'runtime')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (public_client OR secret IS NOT NULL)
      )`);
    await runner.query(`
      CREATE TABLE ${s}.signing_key (
        seq bigserial PRIMARY KEY,
        kid text NOT NULL UNIQUE,
        private_jwk jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE TABLE ${s}.secret (name text PRIMARY KEY, value text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    await runner.query(`
      CREATE TABLE ${s}.login_failure (
        username text PRIMARY KEY,
        failures integer NOT NULL CHECK (failures >= 0),
        locked_until timestamptz,
        last_failure_at timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['login_failure', 'secret', 'signing_key', 'client', 'oidc_model']) {
      await runner.query(`DROP TABLE "${IDENTITY_SCHEMA}".${table}`);
    }
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { IDENTITY_SCHEMA } from '../schema';

/**
 * For Keycloak's Admin REST API: clients get Keycloak's internal id (the `{id}` of
 * `/admin/realms/<realm>/clients/{id}`), a description, the id of their service-account user and
 * that user's client roles (`realm-management` for the provisioner); users created at runtime
 * live in `user_account` with their realm role mappings.
 */
export class AdminApi1767900000000 implements MigrationInterface {
  name = 'AdminApi1767900000000';

  async up(runner: QueryRunner): Promise<void> {
    const s = `"${IDENTITY_SCHEMA}"`;
    await runner.query(`
      ALTER TABLE ${s}.client
        ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
        ADD COLUMN service_account_user_id uuid NOT NULL DEFAULT gen_random_uuid(),
        ADD COLUMN description text,
        ADD COLUMN service_account_client_roles jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await runner.query(`CREATE UNIQUE INDEX client_id_uuid_idx ON ${s}.client (id)`);
    await runner.query(`CREATE UNIQUE INDEX client_service_account_user_id_idx ON ${s}.client (service_account_user_id)`);
    await runner.query(`
      CREATE TABLE ${s}.user_account (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE CHECK (username = lower(username) AND length(username) BETWEEN 1 AND 255),
        email text UNIQUE CHECK (email = lower(email)),
        email_verified boolean NOT NULL DEFAULT false,
        enabled boolean NOT NULL DEFAULT true,
        first_name text,
        last_name text,
        realm_roles text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const s = `"${IDENTITY_SCHEMA}"`;
    await runner.query(`DROP TABLE ${s}.user_account`);
    await runner.query(`
      ALTER TABLE ${s}.client DROP COLUMN service_account_client_roles, DROP COLUMN description,
        DROP COLUMN service_account_user_id, DROP COLUMN id`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { IDENTITY_SCHEMA } from '../schema';

/**
 * Clients keep Keycloak's protocol mappers (its representation, with ids): an audience mapper
 * decides whether the client's access tokens name `fleet-api` in `aud`, so whether the services
 * take them. Existing rows get none; the realm file's clients are rewritten at every start.
 */
export class ProtocolMappers1768000000000 implements MigrationInterface {
  name = 'ProtocolMappers1768000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "${IDENTITY_SCHEMA}".client ADD COLUMN protocol_mappers jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE "${IDENTITY_SCHEMA}".client DROP COLUMN protocol_mappers`);
  }
}

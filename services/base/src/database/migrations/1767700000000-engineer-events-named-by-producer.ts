import { MigrationInterface, QueryRunner } from 'typeorm';
import { BASE_SCHEMA } from '../base.schema';

/**
 * Engineer events are now named by their producer (`base.engineer.created.v1`) and published to
 * the fleet's event exchange. Rows still waiting in the outbox carry the names of the first
 * release, which addressed a consumer; they are renamed so the relay can publish them.
 */
export class EngineerEventsNamedByProducer1767700000000 implements MigrationInterface {
  name = 'EngineerEventsNamedByProducer1767700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `UPDATE "${BASE_SCHEMA}".engineer_event_outbox
         SET event = regexp_replace(event, '^[a-z_]+\\.[a-z]+_engineer_(created|changed|deactivated)\\.v1$', 'base.engineer.\\1.v1')
       WHERE published_at IS NULL AND event !~ '^base\\.engineer\\.'`,
    );
  }

  async down(): Promise<void> {
    // Nothing to undo: the new names are what every release from this one on publishes.
  }
}

import { MixedList, EntitySchema } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions';

export type ServiceDataSourceOptions = PostgresDataSourceOptions & { schema: string; url: string };

export interface ServiceDataSourceInput {
  /** The service's own schema; a constant in the service's code, never an env variable. */
  schema: string;
  /** Connection URL of the service's own role (which can touch only its schema). */
  url: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

/**
 * The one way a service builds its TypeORM options: its schema, its role, explicit migrations,
 * never `synchronize` and never migrations at boot (they run through the `migrate` command).
 */
export function serviceDataSourceOptions(input: ServiceDataSourceInput): ServiceDataSourceOptions {
  return {
    type: 'postgres',
    url: input.url,
    schema: input.schema,
    entities: input.entities,
    migrations: input.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    poolSize: input.poolSize ?? 10,
    applicationName: input.applicationName,
    extra: {
      // Fail fast when Postgres is unreachable instead of queueing requests forever.
      connectionTimeoutMillis: 3000,
      // Make every connection resolve unqualified names in the service's schema only.
      options: `-c search_path=${input.schema}`,
    },
  };
}

/** The base service's Postgres schema: a constant in code, never configuration. */
export const BASE_SCHEMA = 'base';

/** The store service's Postgres schema: a constant in code, never configuration. */
export const STORE_SCHEMA = 'store';

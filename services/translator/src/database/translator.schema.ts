/** The translator service's Postgres schema: a constant in code, never configuration. */
export const TRANSLATOR_SCHEMA = 'translator';

/** The vision service's Postgres schema: a constant in code, never configuration. */
export const VISION_SCHEMA = 'vision';

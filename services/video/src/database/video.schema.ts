/** The video service's Postgres schema: a constant in code, never configuration. */
export const VIDEO_SCHEMA = 'video';

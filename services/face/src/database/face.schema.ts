/** The face service's Postgres schema: a constant in code, never configuration. */
export const FACE_SCHEMA = 'face';

/** Migrations of the base schema, in order. */
export const BASE_MIGRATIONS: Function[] = [];

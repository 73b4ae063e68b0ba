/** Every entity of the base schema, listed explicitly (no globs: the build output decides nothing). */
export const BASE_ENTITIES: Function[] = [];

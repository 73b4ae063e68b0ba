import { CreateChat1767225600000 } from './1767225600000-create-chat';

/** Migrations of the base schema, in order. */
export const BASE_MIGRATIONS: Function[] = [CreateChat1767225600000];

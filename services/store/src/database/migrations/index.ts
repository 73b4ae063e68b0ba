import { CreateStore1767312000000 } from './1767312000000-create-store';

/** Migrations of the store schema, in order. */
export const STORE_MIGRATIONS: Function[] = [CreateStore1767312000000];

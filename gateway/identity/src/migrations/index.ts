import { CreateIdentity1767800000000 } from './1767800000000-create-identity';

/** Migrations of the identity schema, in order. */
export const IDENTITY_MIGRATIONS: Function[] = [CreateIdentity1767800000000];

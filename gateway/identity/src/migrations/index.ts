import { CreateIdentity1767800000000 } from './1767800000000-create-identity';
import { AdminApi1767900000000 } from './1767900000000-admin-api';

/** Migrations of the identity schema, in order. */
export const IDENTITY_MIGRATIONS: Function[] = [CreateIdentity1767800000000, AdminApi1767900000000];

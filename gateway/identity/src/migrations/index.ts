import { CreateIdentity1767800000000 } from './1767800000000-create-identity';
import { AdminApi1767900000000 } from './1767900000000-admin-api';
import { ProtocolMappers1768000000000 } from './1768000000000-protocol-mappers';

/** Migrations of the identity schema, in order. */
export const IDENTITY_MIGRATIONS: Function[] = [CreateIdentity1767800000000, AdminApi1767900000000, ProtocolMappers1768000000000];

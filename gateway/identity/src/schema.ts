/** The provider's own Postgres schema (role `svc_identity`); a constant, never an env variable. */
export const IDENTITY_SCHEMA = 'identity';

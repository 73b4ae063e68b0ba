/** Who is calling, as established from a verified Keycloak access token. */
export interface AuthUser {
  /** Token subject: a user id, or a service account's id for robots and drones. */
  sub: string;
  /** Realm roles (`realm_access.roles`). */
  roles: string[];
  username?: string;
  /** Authorized party: the Keycloak client the token was issued to. */
  clientId?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

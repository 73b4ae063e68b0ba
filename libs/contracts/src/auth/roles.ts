/** Keycloak realm roles the fleet knows. */
export enum Role {
  Operator = 'operator',
  Admin = 'admin',
  Robot = 'robot',
  Drone = 'drone',
}

export const ALL_ROLES: readonly Role[] = Object.values(Role);

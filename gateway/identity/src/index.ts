export * from './env';
export * from './realm';
export * from './clients';
export * from './keys';
export * from './brute-force';
export * from './datasource';
export * from './schema';
export * from './server';
export { FLEET_API_AUDIENCE, FLEET_API_RESOURCE, KEYCLOAK_ROUTES, redirectUriMatches } from './provider';

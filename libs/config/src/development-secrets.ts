/**
 * Secrets this repository publishes for development: the env classes' defaults, the realm file's
 * example clients and users, and the passwords `npm start` and older compose files used. A
 * service in production refuses to start with any of them (see {@link findDevelopmentSecrets}).
 */
export const DEVELOPMENT_SECRETS: readonly string[] = [
  'development-only-boarding-key-change-me',
  'fleet-provisioner-dev-secret-change-me',
  'robot-01-dev-secret-change-me',
  'drone-01-dev-secret-change-me',
  'operator-dev-password-DEV-ONLY',
  'admin-dev-password-DEV-ONLY',
  'admin-dev-password',
  'postgres-dev-password',
  'keycloak-dev-password',
  'fleet-dev-password',
  'guest',
];

const KNOWN = new Set(DEVELOPMENT_SECRETS);

/** The password of a URL when it is a development one: published above, or the user's own name (`svc_base:svc_base`). */
function developmentPasswordOf(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (!url.password) return false;
  const password = decodeURIComponent(url.password);
  return KNOWN.has(password) || password === decodeURIComponent(url.username);
}

/**
 * Names of the variables of a validated env object whose value is a development secret, or a URL
 * whose password is one. Every string variable is checked, so a new secret needs no registration.
 */
export function findDevelopmentSecrets(env: object): string[] {
  return Object.entries(env)
    .filter(([, value]) => typeof value === 'string' && (KNOWN.has(value) || developmentPasswordOf(value)))
    .map(([name]) => name)
    .sort();
}

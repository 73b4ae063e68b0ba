import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export interface TestRealm {
  issuer: string;
  keycloakUrl: string;
  realm: string;
  clientId: string;
  privateKey: KeyObject;
  /** Base64 SPKI DER, the form Keycloak shows as the realm's public key. */
  publicKeyBase64: string;
}

/** A throwaway RSA key pair standing in for a Keycloak realm's signing key. */
export function createTestRealm(keycloakUrl = 'http://127.0.0.1:8080/keycloak', realm = 'fleet', clientId = 'fleet-api'): TestRealm {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    issuer: `${keycloakUrl}/realms/${realm}`,
    keycloakUrl,
    realm,
    clientId,
    privateKey,
    publicKeyBase64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export interface TestTokenOptions {
  sub?: string;
  roles?: string[];
  /** Seconds from now; negative makes an expired token. */
  expiresIn?: number;
  issuer?: string;
  typ?: string;
  signWith?: KeyObject;
  /**
   * `aud`: the realm's client id (`fleet-api`, what the realm's audience mapper gives the fleet's
   * clients) unless set; `null` leaves it out, as for a client without the mapper.
   */
  audience?: string | string[] | null;
  extraClaims?: Record<string, unknown>;
}

/** Signs an access token shaped like Keycloak's (RS256, typ Bearer, aud fleet-api, realm_access.roles). */
export async function signTestToken(realm: TestRealm, options: TestTokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const audience = options.audience === undefined ? realm.clientId : options.audience;
  return new SignJWT({
    typ: options.typ ?? 'Bearer',
    azp: realm.clientId,
    ...(audience === null ? {} : { aud: audience }),
    preferred_username: options.sub ?? 'test-user',
    realm_access: { roles: options.roles ?? [] },
    ...options.extraClaims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'test', typ: 'JWT' })
    .setSubject(options.sub ?? 'test-user')
    .setIssuer(options.issuer ?? realm.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 3600))
    .sign(options.signWith ?? realm.privateKey);
}

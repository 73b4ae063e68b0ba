import { Logger } from '@nestjs/common';
import type { FleetConfig } from '@fleet/config';
// keycloak-connect ships CommonJS without per-module types for its internals.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const GrantManager = require('keycloak-connect/middleware/auth-utils/grant-manager');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const KeycloakConfig = require('keycloak-connect/middleware/auth-utils/config');
import { AuthUser } from './auth-user';
import { DEFAULT_VERIFIED_TOKENS, VerifiedTokenCache } from './verified-token-cache';

/** Why a token was refused; always answered as 401. */
export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

interface KeycloakToken {
  content: {
    sub?: string;
    exp?: unknown;
    azp?: string;
    aud?: unknown;
    preferred_username?: string;
    realm_access?: { roles?: unknown };
  };
}

interface KeycloakGrant {
  access_token: KeycloakToken;
}

export interface TokenVerifierOptions {
  /** How many accepted tokens to remember (LRU); 0 turns the cache off. */
  cachedTokens?: number;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Verifies Keycloak bearer tokens with keycloak-connect's GrantManager, offline: signature
 * (RS256, realm public key from config, else fetched from the realm's JWKS and cached by
 * keycloak-connect), expiry, `typ: Bearer` and issuer. We add what it leaves out: a token with
 * no `exp` never expires in keycloak-connect, so it is refused here; and a token must be meant for
 * the fleet: its `aud` names our client (`fleet-api`, put there by the realm's audience mapper on
 * the fleet's clients), so a token the realm issued to any other client is refused.
 * Accepted tokens are remembered until they expire ({@link VerifiedTokenCache}): robots send the
 * same token with every request for its whole lifetime.
 */
export class TokenVerifier {
  private readonly logger = new Logger(TokenVerifier.name);
  private readonly grantManager: { createGrant(raw: object): Promise<KeycloakGrant> };
  private readonly audience: string;
  private readonly verified?: VerifiedTokenCache;

  constructor(auth: FleetConfig['auth'], options: TokenVerifierOptions = {}) {
    this.audience = auth.clientId;
    const cachedTokens = options.cachedTokens ?? DEFAULT_VERIFIED_TOKENS;
    if (cachedTokens > 0) this.verified = new VerifiedTokenCache(cachedTokens);
    const config = new KeycloakConfig({
      realm: auth.realm,
      'auth-server-url': auth.keycloakUrl,
      resource: auth.clientId,
      'bearer-only': true,
      'realm-public-key': auth.realmPublicKey,
      'min-time-between-jwks-requests': 10,
    });
    this.grantManager = new GrantManager(config);
  }

  async verify(token: string | undefined): Promise<AuthUser> {
    if (!token) throw new InvalidTokenError('missing bearer token');
    if (token.length > 16_384 || !JWT_SHAPE.test(token)) throw new InvalidTokenError('malformed token');
    const known = this.verified?.get(token);
    if (known) return known;
    const user = await this.verifyFully(token);
    this.verified?.set(token, user);
    return user;
  }

  private async verifyFully(token: string): Promise<AuthUser> {
    let grant: KeycloakGrant;
    try {
      grant = await this.grantManager.createGrant({ access_token: token });
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^Grant validation failed\. Reason: /, '') : 'invalid token';
      this.logger.debug(`token refused: ${reason}`);
      throw new InvalidTokenError(reason.startsWith('invalid token') ? reason : `invalid token (${reason})`);
    }
    return toAuthUser(grant.access_token, this.audience);
  }
}

/** Checked after the signature, so only a genuine token of the realm is told why its audience is wrong. */
function toAuthUser(token: KeycloakToken, audience: string): AuthUser {
  const { sub, exp, azp, aud, preferred_username: username, realm_access: realmAccess } = token.content;
  if (typeof exp !== 'number') throw new InvalidTokenError('invalid token (no expiry)');
  if (!sub) throw new InvalidTokenError('invalid token (no subject)');
  const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === 'string');
  if (!audiences.includes(audience)) {
    const client = azp ? `, issued to client ${azp}` : '';
    throw new InvalidTokenError(`invalid token (not meant for ${audience}: its audience is ${audiences.join(', ') || 'empty'}${client})`);
  }
  const roles = Array.isArray(realmAccess?.roles) ? realmAccess.roles.filter((r): r is string => typeof r === 'string') : [];
  // Frozen: the same object answers every request that carries this token (the cache).
  return Object.freeze({ sub, roles: Object.freeze(roles) as string[], username, clientId: azp, exp });
}

/** `Authorization: Bearer x` → `x`; anything else → undefined. */
export function bearerFromHeader(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';

/**
 * Keycloak's refresh tokens are JWTs (typ "Refresh", HS512/HS256) and keycloak-js decodes them
 * (`refreshTokenParsed`); oidc-provider's are opaque. So the provider answers a refresh token as a
 * JWT that carries the opaque one (`rt`), signed with a secret of its own, and unwraps it on the
 * way in. The opaque token stays the truth: rotation, reuse detection and revocation are
 * oidc-provider's; the JWT's exp is informational.
 */
export class RefreshTokenWrapper {
  constructor(private readonly key: Uint8Array, private readonly issuer: string) {}

  wrap(opaque: string, claims: { sub?: string; azp: string; sid?: string; scope?: string; expiresIn: number }): Promise<string> {
    return new SignJWT({
      typ: 'Refresh',
      azp: claims.azp,
      ...(claims.sid ? { sid: claims.sid } : {}),
      ...(claims.scope ? { scope: claims.scope } : {}),
      rt: opaque,
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.issuer)
      .setSubject(claims.sub ?? claims.azp)
      .setIssuedAt()
      .setExpirationTime(`${claims.expiresIn}s`)
      .sign(this.key);
  }

  /** Whether a value looks like one of our refresh JWTs (HS256 header), without verifying it. */
  static looksWrapped(value: string | null | undefined): value is string {
    if (!value || value.split('.').length !== 3) return false;
    try {
      return decodeProtectedHeader(value).alg === 'HS256';
    } catch {
      return false;
    }
  }

  /** The opaque token inside a wrapped one; undefined when forged or not ours (expiry is left to the opaque token). */
  async unwrap(value: string): Promise<string | undefined> {
    try {
      const { payload } = await jwtVerify(value, this.key, { issuer: this.issuer, algorithms: ['HS256'], currentDate: new Date(0) });
      return payload.typ === 'Refresh' && typeof payload.rt === 'string' ? payload.rt : undefined;
    } catch {
      return undefined;
    }
  }
}

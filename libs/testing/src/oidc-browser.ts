import { createHash, randomBytes } from 'node:crypto';

/**
 * A minimal browser for OpenID Connect flows over plain HTTP (no JavaScript): a cookie jar,
 * redirects followed on the provider's origin only, and the code flow with PKCE through a
 * server-rendered login page (Keycloak's shape: a form with a `csrf` field).
 */

/** A cookie jar that honours Path, Max-Age/Expires deletion and host-only cookies (one host here). */
export class CookieJar {
  private readonly cookies = new Map<string, { name: string; value: string; path: string }>();

  store(setCookies: string[]): void {
    for (const header of setCookies) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key, val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = val;
        if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(val) < Date.now()) expired = true;
      }
      const key = `${name}\u0000${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: string): string | undefined {
    const { pathname } = new URL(url);
    const matching = [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length);
    return matching.length ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  names(): string[] {
    return [...this.cookies.values()].map((c) => c.name);
  }
}

/** fetch without following redirects, with a cookie jar. */
export class Browser {
  readonly jar = new CookieJar();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.jar.store(response.headers.getSetCookie());
    return response;
  }

  /** Follows redirects on the provider's own origin; stops at the first one leaving it (the client's redirect URI). */
  async follow(url: string, origin: string, init: RequestInit = {}): Promise<{ response: Response; location?: string }> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) return { response };
      const next = new URL(location, url).href;
      if (new URL(next).origin !== origin) return { response, location: next };
      response = await this.request(next);
      url = next;
    }
    throw new Error('too many redirects');
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The hidden field and form action of the login page. */
export function parseLoginForm(html: string): { action: string; csrf: string } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !csrf) throw new Error(`not a login page:\n${html.slice(0, 500)}`);
  return { action: action.replace(/&amp;/g, '&'), csrf };
}

/** The browser part of the authorization-code flow with PKCE: authorize, login page, credentials, back to the client's redirect URI. */
export async function signInWithCodeFlow(options: {
  browser: Browser;
  /** The authorization endpoint (`…/protocol/openid-connect/auth`). */
  authEndpoint: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  credentials: { username: string; password: string };
  scope?: string;
}): Promise<{ code: string; state: string }> {
  const { browser, credentials } = options;
  const origin = new URL(options.authEndpoint).origin;
  const state = randomBytes(8).toString('hex');
  const url = new URL(options.authEndpoint);
  const params = { client_id: options.clientId, response_type: 'code', scope: options.scope ?? 'openid profile email', redirect_uri: options.redirectUri, state, code_challenge: options.challenge, code_challenge_method: 'S256' };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const start = await browser.follow(url.href, origin);
  let location = start.location;
  if (!location) {
    if (start.response.status !== 200) throw new Error(`authorize answered ${start.response.status}: ${await start.response.text()}`);
    const { action, csrf } = parseLoginForm(await start.response.text());
    const submitted = await browser.postForm(new URL(action, origin).href, { csrf, username: credentials.username, password: credentials.password });
    if (submitted.status !== 303) throw new Error(`login answered ${submitted.status}: ${await submitted.text()}`);
    ({ location } = await browser.follow(new URL(submitted.headers.get('location')!, origin).href, origin));
  }
  const redirect = new URL(location!);
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  if (redirect.searchParams.get('state') !== state) throw new Error('state mismatch');
  return { code, state };
}

import { createHash } from 'node:crypto';

/** Server-rendered pages (login, logout, errors): inline CSS only, no scripts, no external assets. */

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Response headers for every page: nothing external may load, nobody may frame it. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f3f4f6; margin: 0; display: flex; min-height: 100vh; align-items: center; justify-content: center; }
  main { background: #fff; padding: 2rem 2.5rem; border-radius: 8px; box-shadow: 0 2px 12px rgba(0,0,0,.12); width: 22rem; }
  h1 { font-size: 1.3rem; margin: 0 0 .3rem; } p.sub { color: #555; margin: 0 0 1.2rem; font-size: .9rem; }
  label { display: block; font-size: .85rem; margin: .8rem 0 .25rem; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .55rem; border: 1px solid #bbb; border-radius: 4px; font-size: 1rem; }
  button { margin-top: 1.2rem; width: 100%; padding: .65rem; border: 0; border-radius: 4px; background: #1f5fbf; color: #fff; font-size: 1rem; cursor: pointer; }
  .error { background: #fde8e8; color: #9b1c1c; border: 1px solid #f5b5b5; padding: .6rem .8rem; border-radius: 4px; font-size: .9rem; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

export interface LoginPageInput {
  realmName: string;
  clientName: string;
  action: string;
  csrf: string;
  username?: string;
  error?: string;
}

export function loginPage(input: LoginPageInput): string {
  return layout(`Sign in to ${input.realmName}`, `
  <h1>Sign in to ${escapeHtml(input.realmName)}</h1>
  <p class="sub">to continue to ${escapeHtml(input.clientName)}</p>
  ${input.error ? `<p class="error" id="login-error" role="alert">${escapeHtml(input.error)}</p>` : ''}
  <form method="post" action="${escapeHtml(input.action)}" autocomplete="off">
    <input type="hidden" name="csrf" value="${escapeHtml(input.csrf)}">
    <label for="username">Username or email</label>
    <input type="text" id="username" name="username" value="${escapeHtml(input.username ?? '')}" autofocus required>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" required>
    <button type="submit" id="kc-login">Sign in</button>
  </form>`);
}

export function logoutPage(form: string): string {
  return layout('Sign out', `
  <h1>Sign out</h1>
  <p class="sub">Do you want to sign out of the fleet?</p>
  ${form}
  <button type="submit" form="op.logoutForm" name="logout" value="yes" id="kc-logout">Sign out</button>`);
}

const AUTO_LOGOUT_SCRIPT = "document.getElementById('op.logoutForm').submit();";

/**
 * Keycloak ends the session without asking when the logout request carries a valid
 * `id_token_hint` (the client proved who asked): the same form, submitted at once. Without
 * JavaScript the button still works.
 */
export function autoLogoutPage(form: string): string {
  const confirmed = form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>');
  return `${logoutPage(confirmed)}\n<script>${AUTO_LOGOUT_SCRIPT}</script>`;
}

/** The page headers of {@link autoLogoutPage}: its one script allowed by hash. */
export const AUTO_LOGOUT_HEADERS = {
  ...PAGE_HEADERS,
  'content-security-policy': `${PAGE_HEADERS['content-security-policy']}; script-src 'sha256-${createHash('sha256').update(AUTO_LOGOUT_SCRIPT).digest('base64')}'`,
};

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p class="sub">${escapeHtml(message)}</p>`);
}

const THIRD_PARTY_COOKIE_SCRIPT = "parent.postMessage('unsupported', '*');";

/**
 * keycloak-js (with its default checkLoginIframe) loads `3p-cookies/step1.html` and waits up to
 * 10 s for a message. This provider has no session-status iframe, so the page answers
 * "unsupported" at once: keycloak-js then turns its login iframe off and carries on.
 */
export const thirdPartyCookiesPage = {
  html: `<!doctype html><html><head><meta charset="utf-8"><title>3p cookies</title></head><body><script>${THIRD_PARTY_COOKIE_SCRIPT}</script></body></html>`,
  // Framed by the application on purpose (no X-Frame-Options); only this one inline script may run.
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; script-src 'sha256-${createHash('sha256').update(THIRD_PARTY_COOKIE_SCRIPT).digest('base64')}'`,
    'x-content-type-options': 'nosniff',
  } as Record<string, string>,
};

/**
 * The simulator's door to the fleet: the gateway, as every real client uses it, with per-route
 * counts (sent, 2xx, 4xx, 5xx, timeouts) for the once-a-second line and the final report.
 */
export interface RouteCounts {
  sent: number;
  ok: number;
  clientErrors: number;
  serverErrors: number;
  timeouts: number;
}

export interface ApiAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** A request took longer than this: counted as a timeout (a real client gives up too). */
const REQUEST_TIMEOUT_MS = 15_000;

export class StationApi {
  readonly counts = new Map<string, RouteCounts>();
  /** Called with every answer (status 0: a network failure or a timeout): the chaos run times each 5xx against its faults. */
  onAnswer?: (route: string, status: number, at: number) => void;

  constructor(readonly gatewayUrl: string) {}

  /**
   * `route` names the request in the counts (`POST /base_api/robot/tickets/check`); `path` is the
   * real URL path. Network failures and timeouts answer status 0.
   */
  async call<T = Record<string, unknown>>(route: string, path: string, init: { method?: string; token?: string; json?: unknown; body?: string | Buffer | FormData; headers?: Record<string, string> } = {}): Promise<ApiAnswer<T>> {
    const counts = this.countsOf(route);
    counts.sent += 1;
    const headers: Record<string, string> = { ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(`${this.gatewayUrl}${path}`, {
        method: init.method ?? (init.json !== undefined || init.body ? 'POST' : 'GET'),
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      if (response.status >= 500) counts.serverErrors += 1;
      else if (response.status >= 400) counts.clientErrors += 1;
      else counts.ok += 1;
      this.onAnswer?.(route, response.status, Date.now());
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: kept as text
      }
      return { status: response.status, body: body as T };
    } catch {
      counts.timeouts += 1;
      this.onAnswer?.(route, 0, Date.now());
      return { status: 0, body: {} as T };
    }
  }

  /** Every route's counts added up. */
  totals(): RouteCounts {
    const total: RouteCounts = { sent: 0, ok: 0, clientErrors: 0, serverErrors: 0, timeouts: 0 };
    for (const counts of this.counts.values()) for (const key of Object.keys(total) as Array<keyof RouteCounts>) total[key] += counts[key];
    return total;
  }

  private countsOf(route: string): RouteCounts {
    let counts = this.counts.get(route);
    if (!counts) this.counts.set(route, (counts = { sent: 0, ok: 0, clientErrors: 0, serverErrors: 0, timeouts: 0 }));
    return counts;
  }
}

/** Tokens from the fleet's identity provider at /keycloak, kept until a minute before they expire. */
export class TokenSource {
  private cached?: { token: string; until: number };

  constructor(
    private readonly gatewayUrl: string,
    private readonly form: Record<string, string>,
  ) {}

  static password(gatewayUrl: string, username: string, password: string): TokenSource {
    return new TokenSource(gatewayUrl, { grant_type: 'password', client_id: 'fleet-cli', username, password });
  }

  static client(gatewayUrl: string, clientId: string, secret: string): TokenSource {
    return new TokenSource(gatewayUrl, { grant_type: 'client_credentials', client_id: clientId, client_secret: secret });
  }

  async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.until) return this.cached.token;
    const response = await fetch(`${this.gatewayUrl}/keycloak/realms/fleet/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(this.form) });
    const body = (await response.json()) as { access_token?: string; expires_in?: number; error_description?: string };
    if (!response.ok || !body.access_token) throw new Error(`token for ${this.form.client_id}: ${response.status} ${body.error_description ?? ''}`);
    this.cached = { token: body.access_token, until: Date.now() + Math.max(10, (body.expires_in ?? 300) - 60) * 1000 };
    return body.access_token;
  }
}

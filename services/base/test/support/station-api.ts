import { signTestToken, TestRealm } from '@fleet/testing';

// Tests assert response bodies field by field; a loose body type keeps them short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseJson = any;

export interface ApiResponse<T = LooseJson> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Caller {
  roles: string[];
  sub?: string;
  /** The Keycloak client the token comes from (`azp`): a robot's registered client id. */
  clientId?: string;
}

export const OPERATOR: Caller = { roles: ['operator'], sub: 'op-1' };

/** JSON over HTTP to one base instance (or the gateway), with tokens signed by the test realm. */
export class StationApi {
  constructor(
    readonly baseUrl: string,
    private readonly realm: TestRealm,
  ) {}

  token(caller: Caller): Promise<string> {
    return signTestToken(this.realm, { sub: caller.sub ?? caller.clientId ?? 'someone', roles: caller.roles, extraClaims: caller.clientId ? { azp: caller.clientId } : {} });
  }

  async request<T = LooseJson>(method: string, path: string, options: { as?: Caller | null; body?: unknown; csv?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as !== null) headers.authorization = `Bearer ${await this.token(options.as ?? OPERATOR)}`;
    let body: string | undefined;
    if (options.csv !== undefined) {
      headers['content-type'] = 'text/csv';
      body = options.csv;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}

/** A ticket body valid from `fromMin` to `untilMin` minutes from now. */
export function ticket(code: string, overrides: Record<string, unknown> = {}, fromMin = -60, untilMin = 120): Record<string, unknown> {
  return {
    code,
    passenger_name: 'Ada Lovelace',
    train: 'IC-101',
    car: '7',
    seat: '42A',
    departure_station: 'Central',
    valid_from: new Date(Date.now() + fromMin * 60_000).toISOString(),
    valid_until: new Date(Date.now() + untilMin * 60_000).toISOString(),
    ...overrides,
  };
}

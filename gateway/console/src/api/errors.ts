/** Field -> what is wrong with it, as every fleet API answers a 400 (`samples.1.battery_pct` when nested). */
export type FieldErrors = Record<string, string[]>;

/** The fleet's one error body (README, "API conventions"). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: FieldErrors;
  request_id?: string | null;
  [extra: string]: unknown;
}

/** An API answer that was not 2xx, with the body the service sent (or what the gateway said). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message || `${status} ${body.error ?? ''}`.trim());
    this.name = 'ApiError';
  }

  get fieldErrors(): FieldErrors {
    return this.body.details ?? {};
  }

  get requestId(): string | undefined {
    return this.body.request_id ?? undefined;
  }
}

export async function apiErrorOf(response: Response, body?: unknown): Promise<ApiError> {
  let parsed: unknown = body;
  if (parsed === undefined) {
    const text = await response.text().catch(() => '');
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text.slice(0, 300) };
    }
  }
  let fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Partial<ApiErrorBody>;
  // The translator's envelope (`{ status: 'error', message, error }`) names the kind in `message`
  // and says what went wrong in `error`: the other way round from every other service.
  if (fields.status === 'error' && typeof fields.error === 'string') fields = { ...fields, message: fields.error, error: fields.message };
  return new ApiError(response.status, {
    ...fields,
    statusCode: response.status,
    error: fields.error ?? response.statusText,
    message: typeof fields.message === 'string' && fields.message ? fields.message : response.statusText || 'Request failed',
  });
}

/**
 * The sentence an operator reads for an error: a 409 says what conflicts, a 503 that a part of the
 * fleet is down (and to retry), a 401 that the session ended; otherwise the service's own message.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const reference = error.requestId ? ` (request ${error.requestId})` : '';
  switch (error.status) {
    case 401:
      return 'Your session has ended. Sign in again.';
    case 403:
      return `You are not allowed to do this: ${error.message}`;
    case 404:
      return `Not found: ${error.message}`;
    case 409:
      return `This conflicts with the current state: ${error.message}. Reload and try again.`;
    case 413:
      return `Too large: ${error.message}`;
    case 429:
      return 'Too many requests; wait a moment and try again.';
    case 502:
    case 503:
    case 504:
      return `A part of the fleet is unavailable right now; nothing was changed, try again shortly. ${error.message}${reference}`;
    default:
      return `${error.message}${reference}`;
  }
}

/** The field errors of a 400 for a form, keyed by the form's field names (nested paths kept). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  return Object.fromEntries(Object.entries(error.fieldErrors).map(([field, messages]) => [field, messages.join('; ')]));
}

import createClient, { type Middleware } from 'openapi-fetch';
import { freshToken } from '../auth/session';
import { apiErrorOf } from './errors';

/** The public services, by the gateway prefix nginx serves them under. */
export const SERVICE_PREFIX = {
  base: '/base_api',
  store: '/store_api',
  vision: '/vision_api',
  video: '/video_api',
  translator: '/translator_api',
} as const;
export type ServiceName = keyof typeof SERVICE_PREFIX;

const bearer: Middleware = {
  async onRequest({ request }) {
    request.headers.set('Authorization', `Bearer ${await freshToken()}`);
    return request;
  },
};

/** A typed client of one service (paths and bodies from its generated OpenAPI types). */
export function serviceClient<Paths extends object>(service: ServiceName) {
  const client = createClient<Paths>({ baseUrl: SERVICE_PREFIX[service] });
  client.use(bearer);
  return client;
}

/**
 * The data of an openapi-fetch answer, or the ApiError it was:
 *   const ticket = await unwrap(base.GET('/admin/tickets/{code}', { params: { path: { code } } }));
 */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw await apiErrorOf(response, error);
  return data as T;
}

/** fetch through the gateway with the operator's token, throwing ApiError on a non-2xx answer. */
export async function authorizedFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${await freshToken()}`);
  const response = await fetch(url, { ...init, headers });
  if (!response.ok) throw await apiErrorOf(response);
  return response;
}

/** A URL with the token as `access_token`: for WebSockets and media elements, which cannot send headers. */
export async function withAccessToken(url: string): Promise<string> {
  const target = new URL(url, window.location.origin);
  target.searchParams.set('access_token', await freshToken());
  return target.toString();
}

/** An object URL of an authorized download (images, recordings, results) for <img>/<video>/<a download>. */
export async function authorizedObjectUrl(url: string): Promise<string> {
  const response = await authorizedFetch(url);
  return URL.createObjectURL(await response.blob());
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * A multipart upload with real progress events (fetch has none for request bodies): XMLHttpRequest,
 * the token as a header, the answer parsed as JSON or thrown as ApiError.
 */
export async function uploadWithProgress<T>(url: string, body: FormData, onProgress: (progress: UploadProgress) => void, signal?: AbortSignal): Promise<T> {
  const token = await freshToken();
  return new Promise<T>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
    request.onerror = () => reject(new Error('The upload failed: the gateway could not be reached'));
    request.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    request.onload = () => {
      const response = new Response(request.responseText, { status: request.status, statusText: request.statusText });
      if (request.status >= 200 && request.status < 300) {
        resolve((request.responseText ? JSON.parse(request.responseText) : undefined) as T);
      } else {
        void apiErrorOf(response).then(reject);
      }
    };
    signal?.addEventListener('abort', () => request.abort());
    request.send(body);
  });
}

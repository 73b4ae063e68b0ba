import { RpcErrorCode } from '@fleet/contracts';
import { RpcError } from '@fleet/messaging';

/** The job asks for something this engine can never do (a language it has no model for): not retried. */
export function unsupported(message: string): RpcError {
  return new RpcError(RpcErrorCode.InvalidParams, message);
}

/**
 * An HTTP engine's answer: 4xx means the request itself is wrong (not retried, the job fails
 * with the reason); 5xx and network errors are plain errors, which the worker retries.
 */
export async function checkHttp(response: Response, engine: string): Promise<Response> {
  if (response.ok) return response;
  const body = (await response.text().catch(() => '')).slice(0, 300);
  const message = `${engine} answered ${response.status}: ${body}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 429) throw new RpcError(RpcErrorCode.InvalidParams, message);
  throw new Error(message);
}

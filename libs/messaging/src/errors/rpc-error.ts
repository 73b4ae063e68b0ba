import { isRpcErrorBody, RpcErrorBody, RpcErrorCode } from '@fleet/contracts';

/**
 * The one error type of the messaging layer, on both sides of the wire: a handler throws it to
 * answer with a domain error, and `RpcClient.call` rejects with it (rebuilt from the reply, or made
 * locally for deadlines and broker outages). `code` is an {@link RpcErrorCode}; the HTTP edge maps
 * it with `httpStatusForRpcCode`.
 */
export class RpcError extends Error {
  override readonly name = 'RpcError';

  constructor(
    readonly code: RpcErrorCode | number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  toBody(): RpcErrorBody {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }

  /**
   * Rebuilds the error from a reply's `err`. Besides our `{ code, message, data }` it accepts what a
   * stock Nest RMQ server sends (`{ status: 'error', message }` or a bare string), so a handler
   * outside this library still yields a readable error instead of a crash in the caller.
   */
  static fromWire(err: unknown): RpcError {
    if (isRpcErrorBody(err)) return new RpcError(err.code, err.message, err.data);
    if (typeof err === 'string') return new RpcError(RpcErrorCode.InternalError, err);
    const message = (err as { message?: unknown } | null)?.message;
    return new RpcError(RpcErrorCode.InternalError, typeof message === 'string' ? message : 'Unknown error from the remote handler');
  }
}

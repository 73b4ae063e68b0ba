/**
 * JSON-RPC-style error codes. The -326xx range is JSON-RPC's own; -320xx is the
 * "server error" range JSON-RPC leaves to implementations, used here for fleet outcomes.
 */
export enum RpcErrorCode {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  DeadlineExceeded = -32000,
  Unavailable = -32001,
  NotFound = -32004,
  Conflict = -32009,
  Forbidden = -32003,
  Unauthorized = -32005,
  PayloadTooLarge = -32013,
  RateLimited = -32029,
}

/** The shape every error has on the wire. */
export interface RpcErrorBody {
  code: number;
  message: string;
  data?: unknown;
}

/** What the HTTP edge answers for each code; anything unknown is a 502 (the upstream failed). */
export const RPC_ERROR_HTTP_STATUS: Readonly<Record<number, number>> = {
  [RpcErrorCode.ParseError]: 400,
  [RpcErrorCode.InvalidRequest]: 400,
  [RpcErrorCode.InvalidParams]: 400,
  [RpcErrorCode.MethodNotFound]: 501,
  [RpcErrorCode.InternalError]: 502,
  [RpcErrorCode.DeadlineExceeded]: 504,
  [RpcErrorCode.Unavailable]: 503,
  [RpcErrorCode.NotFound]: 404,
  [RpcErrorCode.Conflict]: 409,
  [RpcErrorCode.Forbidden]: 403,
  [RpcErrorCode.Unauthorized]: 401,
  [RpcErrorCode.PayloadTooLarge]: 413,
  [RpcErrorCode.RateLimited]: 429,
};

export function httpStatusForRpcCode(code: number): number {
  return RPC_ERROR_HTTP_STATUS[code] ?? 502;
}

export function isRpcErrorBody(value: unknown): value is RpcErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RpcErrorBody).code === 'number' &&
    typeof (value as RpcErrorBody).message === 'string'
  );
}

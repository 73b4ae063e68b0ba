import { HttpException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { isRpcErrorBody, RpcErrorBody, RpcErrorCode } from '@fleet/contracts';
import { RpcError } from './rpc-error';

/**
 * What the server does with a handler's failure: a domain answer goes back to the caller and the
 * message is acked (retrying cannot change the answer); anything else is unexpected and retried.
 */
export type HandlerFailure = { retry: false; body: RpcErrorBody } | { retry: true; cause: unknown };

// Services throw Nest's HTTP exceptions for client mistakes (STYLE §2), so 4xx are answers too.
const CODE_FOR_HTTP_STATUS: Readonly<Record<number, RpcErrorCode>> = {
  400: RpcErrorCode.InvalidParams,
  401: RpcErrorCode.Unauthorized,
  403: RpcErrorCode.Forbidden,
  404: RpcErrorCode.NotFound,
  409: RpcErrorCode.Conflict,
  413: RpcErrorCode.PayloadTooLarge,
  429: RpcErrorCode.RateLimited,
};

// What Nest's guards throw (as an RpcException) when `canActivate` says no.
const NEST_FORBIDDEN_MESSAGE = 'Forbidden resource';

function fromHttpException(error: HttpException): RpcErrorBody {
  const response = error.getResponse();
  const detail = typeof response === 'object' && response !== null ? (response as { message?: unknown }).message : undefined;
  const code = CODE_FOR_HTTP_STATUS[error.getStatus()] ?? RpcErrorCode.InvalidRequest;
  // ValidationPipe puts its messages in an array; keep them as `data.errors`, as params validation does.
  return Array.isArray(detail) ? { code, message: error.message, data: { errors: detail } } : { code, message: error.message };
}

function fromRpcException(error: RpcException): RpcErrorBody {
  const inner = error.getError();
  if (isRpcErrorBody(inner)) return { code: inner.code, message: inner.message, data: inner.data };
  const code = error.message === NEST_FORBIDDEN_MESSAGE ? RpcErrorCode.Forbidden : RpcErrorCode.InternalError;
  return typeof inner === 'object' && inner !== null ? { code, message: error.message, data: inner } : { code, message: error.message };
}

export function classifyHandlerError(error: unknown): HandlerFailure {
  if (error instanceof RpcError) return { retry: false, body: error.toBody() };
  if (error instanceof RpcException) return { retry: false, body: fromRpcException(error) };
  if (error instanceof HttpException && error.getStatus() < 500) return { retry: false, body: fromHttpException(error) };
  // An exception filter outside this library may already have shaped the error into a body.
  if (!(error instanceof Error) && isRpcErrorBody(error)) return { retry: false, body: error };
  return { retry: true, cause: error };
}

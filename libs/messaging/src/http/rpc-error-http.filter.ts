import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { throwError } from 'rxjs';
import { httpStatusForRpcCode } from '@fleet/contracts';
import { RpcError } from '../errors/rpc-error';

export interface RpcErrorHttpBody {
  statusCode: number;
  error: string;
  message: string;
  code: number;
  data?: unknown;
}

/**
 * The HTTP edge of an RPC failure: an RpcError that escapes a controller (typically from
 * `RpcClient.call`) becomes the status `httpStatusForRpcCode` gives, with Nest's usual body plus
 * the JSON-RPC `code` and `data`. Registered globally in a hybrid app it may also see RPC
 * handlers' errors; those it passes on untouched for the transport to reply with.
 */
@Catch(RpcError)
export class RpcErrorHttpFilter implements ExceptionFilter<RpcError> {
  private readonly logger = new Logger(RpcErrorHttpFilter.name);

  catch(error: RpcError, host: ArgumentsHost) {
    if (host.getType() !== 'http') return throwError(() => error);
    const statusCode = httpStatusForRpcCode(error.code);
    const body: RpcErrorHttpBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: error.message, code: error.code };
    if (error.data !== undefined) body.data = error.data;
    if (statusCode >= 500) this.logger.warn(`Upstream call failed (${error.code}): ${error.message}`);
    host.switchToHttp().getResponse<Response>().status(statusCode).json(body);
    return undefined;
  }
}

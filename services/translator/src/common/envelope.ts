import { ArgumentsHost, CallHandler, Catch, ExceptionFilter, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { TranslatorEnvelope } from '@fleet/contracts';
import { apiErrorOf, currentRequestId } from '@fleet/openapi';

const ENVELOPE_MESSAGE = 'translator:envelope-message';

/** The `message` of a route's success envelope ("Job created"). */
export const EnvelopeMessage = (message: string) => SetMetadata(ENVELOPE_MESSAGE, message);

/**
 * Every translator answer is `{ status, message, data | error }` (README, "API conventions"):
 * this wraps what a handler returns. Handlers that write the response themselves (the upload,
 * the SSE stream, a result download) return nothing and are left alone.
 */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const message = this.reflector.get<string | undefined>(ENVELOPE_MESSAGE, context.getHandler()) ?? 'OK';
    return next.handle().pipe(map((data: unknown): unknown => (data === undefined ? data : ({ status: 'success', message, data } satisfies TranslatorEnvelope<unknown>))));
  }
}

/** The error side of the envelope: the fleet's error (status, reason, field details, request id) as `error`. */
export function errorEnvelope(exception: unknown, requestId: string | null, message?: string): { statusCode: number; body: TranslatorEnvelope<never> } {
  const apiError = apiErrorOf(exception, requestId);
  const body: TranslatorEnvelope<never> = { status: 'error', message: message ?? apiError.error, error: apiError.message, request_id: apiError.request_id };
  if (apiError.details) body.details = apiError.details;
  return { statusCode: apiError.statusCode, body };
}

/** Every error of a translator route (guards' 401/403 and validation's 400 included) in the envelope. */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return void res.end();
    const { statusCode, body } = errorEnvelope(exception, currentRequestId(res));
    res.status(statusCode).json(body);
  }
}

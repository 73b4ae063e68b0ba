import { ArgumentMetadata, ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Logger, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { throwError } from 'rxjs';
import { httpStatusForRpcCode } from '@fleet/contracts';
import { REQUEST_ID_HEADER, requestContext } from '@fleet/logging';
import { RpcError } from '@fleet/messaging';

/** Field -> what is wrong with it (`samples.1.battery_pct` for nested fields). */
export type ApiErrorDetails = Record<string, string[]>;

/** Every HTTP error of the fleet's APIs (README, "API conventions"). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: ApiErrorDetails;
  /** The X-Request-ID of the request: quote it when reporting a problem, it finds every log line. */
  request_id: string | null;
}

/** The status and body an exception answers with; anything not an HTTP or RPC error is a 500 that says nothing more. */
export function apiErrorOf(exception: unknown, requestId: string | null): ApiErrorBody {
  if (exception instanceof HttpException) {
    const statusCode = exception.getStatus();
    const response = exception.getResponse();
    const fields = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const message = typeof response === 'string' ? response : Array.isArray(fields.message) ? fields.message.map(String).join('; ') : String(fields.message ?? exception.message);
    // A route's own fields next to the standard ones stay (base's order refusal: `ticket_decision`).
    const { statusCode: _status, error: _error, message: _message, details, request_id: _id, ...extra } = fields;
    return withDetails({ ...extra, statusCode, error: reason(statusCode), message, request_id: requestId }, details);
  }
  if (exception instanceof RpcError) {
    const statusCode = httpStatusForRpcCode(exception.code);
    return withDetails({ statusCode, error: reason(statusCode), message: exception.message, request_id: requestId }, exception.data);
  }
  return { statusCode: 500, error: reason(500), message: 'Internal server error', request_id: requestId };
}

function withDetails(body: ApiErrorBody, details: unknown): ApiErrorBody {
  return details !== undefined && details !== null ? { ...body, details: details as ApiErrorDetails } : body;
}

function reason(statusCode: number): string {
  return STATUS_CODES[statusCode] ?? 'Error';
}

/** The request id of the request being answered: the middleware's context, else the header it set. */
export function currentRequestId(res?: Response): string | null {
  const header = res?.getHeader?.(REQUEST_ID_HEADER);
  return requestContext.requestId() ?? (typeof header === 'string' ? header : null);
}

/**
 * The one HTTP exception filter of every service: HTTP exceptions, RPC errors from downstream
 * calls and anything unexpected all answer an `ApiErrorBody`. In a hybrid app it may also see RPC
 * handlers' errors; those it passes on untouched for the transport to reply with.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ApiExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost) {
    if (host.getType() !== 'http') return throwError(() => exception);
    const res = host.switchToHttp().getResponse<Response>();
    const body = apiErrorOf(exception, currentRequestId(res));
    if (body.statusCode >= 500) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    if (res.headersSent) {
      res.end();
      return undefined;
    }
    res.status(body.statusCode).json(body);
    return undefined;
  }
}

/** Validation errors as `details`: one entry per field (dotted path for nested ones), every message of it. */
export function validationDetails(errors: readonly ValidationError[], parent = ''): ApiErrorDetails {
  const details: ApiErrorDetails = {};
  for (const error of errors) {
    const field = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) details[field] = Object.values(error.constraints);
    Object.assign(details, validationDetails(error.children ?? [], field));
  }
  return details;
}

/**
 * Where a value holds the NUL character, by dotted path (`''` for the value itself): text columns
 * cannot store it (Postgres refuses `\u0000`), and no field of ours has a use for it.
 */
export function nulCharacterPaths(value: unknown, path = '', depth = 0): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (depth > 32 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return [];
  return Object.entries(value).flatMap(([key, item]) => nulCharacterPaths(item, path ? `${path}.${key}` : key, depth + 1));
}

/**
 * Refuses NUL characters in bodies, queries and path parameters before anything else reads them.
 * A value taken untyped (`@Body() raw: unknown`, a WebSocket frame) is left to the handler that
 * parses it: it answers in its own protocol (the chat's error frames).
 */
class FleetValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom' && metadata.metatype !== undefined && metadata.metatype !== Object) {
      const paths = nulCharacterPaths(value, metadata.type === 'param' && metadata.data ? metadata.data : '');
      if (paths.length) {
        const details = Object.fromEntries(paths.map((path) => [path || metadata.type, ['must not contain the NUL character']]));
        throw new BadRequestException({ message: `${Object.keys(details).join(', ')}: must not contain the NUL character`, details });
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * The global ValidationPipe of every public API (whitelist, forbid unknown fields, transform) whose
 * 400 carries the field errors in `details` for forms to show next to their fields.
 */
export function apiValidationPipe(options: ValidationPipeOptions = {}): ValidationPipe {
  return new FleetValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const details = validationDetails(errors);
      const message = Object.values(details).flat().join('; ') || 'Validation failed';
      return new BadRequestException({ message, details });
    },
    ...options,
  });
}

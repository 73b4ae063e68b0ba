import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { normaliseRequestId, REQUEST_ID_HEADER, requestContext } from './request-context';

/** Adopts the gateway's X-Request-ID (or makes one), echoes it back and opens the async context. */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const requestId = normaliseRequestId(req.headers[REQUEST_ID_HEADER]);
    res.setHeader('X-Request-ID', requestId);
    requestContext.run({ requestId }, next);
  }
}

import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, register } from 'prom-client';

function histogram(): Histogram<'method' | 'route' | 'status'> {
  const name = 'fleet_http_request_duration_seconds';
  const existing = register.getSingleMetric(name) as Histogram<'method' | 'route' | 'status'> | undefined;
  return (
    existing ??
    new Histogram({
      name,
      help: 'HTTP requests by method, matched route and status, with their latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    })
  );
}

/**
 * Times every HTTP request. The label is the matched route pattern (`/rooms/:room/messages`),
 * never the raw URL, so ids in paths cannot blow up the series count.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly requests = histogram();

  use(req: Request, res: Response, next: NextFunction): void {
    const stop = this.requests.startTimer();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  }
}

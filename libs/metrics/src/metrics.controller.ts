import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { register } from 'prom-client';
import { Public } from '@fleet/auth';

/** Prometheus scrape endpoint on the service's own port; the gateway refuses `/<svc>_api/metrics`. */
@Controller('metrics')
export class MetricsController {
  @Public()
  @Get()
  @Header('Content-Type', register.contentType)
  @ApiOkResponse({ description: 'Prometheus metrics in the text exposition format.', content: { 'text/plain': {} } })
  scrape(): Promise<string> {
    return register.metrics();
  }
}

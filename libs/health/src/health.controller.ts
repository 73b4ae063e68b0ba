import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@fleet/auth';
import { HealthService } from './health.service';
import { HealthReport, PublicHealthReport } from './health.types';

/**
 * The gateway sets X-Forwarded-For on everything it proxies: such a request came from outside
 * and gets the verdict only. Each dependency's state and why it failed stay on the instance's
 * own port (the container healthcheck, the launcher, the instance roster behind the console).
 */
function throughGateway(req: Request): boolean {
  return req.headers['x-forwarded-for'] !== undefined;
}

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'Through the gateway: the status only. On the instance port: the status and each dependency (and why it is down). 503 while unhealthy.' })
  async check(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<HealthReport | PublicHealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'healthy' ? 200 : 503);
    return throughGateway(req) ? { status: report.status } : report;
  }
}

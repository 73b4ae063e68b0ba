import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@fleet/auth';
import { HealthService } from './health.service';
import { HealthReport } from './health.types';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Public()
  @Get()
  @ApiOkResponse({ description: 'The health report: status, instance and each dependency (503 with the same report while unhealthy).' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'healthy' ? 200 : 503);
    return report;
  }
}

import { Controller, Get, Inject } from '@nestjs/common';
import type Redis from 'ioredis';
import { Roles } from '@fleet/auth';
import { Role } from '@fleet/contracts';
import { readInstanceRoster } from '@fleet/platform';
import { REDIS } from '@fleet/redis';
import { InstanceRosterView } from './fleet-status.view';

/** The fleet's instances for the console's overview (`/base_api/admin/fleet/instances`). */
@Controller('admin/fleet')
@Roles(Role.Operator, Role.Admin)
export class FleetStatusController {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Every instance of every service that reported in the last 10 minutes, with its dependencies' health. */
  @Get('instances')
  async instances(): Promise<InstanceRosterView> {
    return { items: await readInstanceRoster(this.redis), read_at: new Date().toISOString() };
  }
}

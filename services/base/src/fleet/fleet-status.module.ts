import { Module } from '@nestjs/common';
import { FleetStatusController } from './fleet-status.controller';

@Module({ controllers: [FleetStatusController] })
export class FleetStatusModule {}

import { Module } from '@nestjs/common';
import { DronesModule } from '../drones/drones.module';
import { RealtimeModule } from '../realtime/realtime.module';
import { StreamsModule } from '../streams/streams.module';
import { TelemetryController } from './telemetry.controller';
import { TelemetryRepository } from './telemetry.repository';
import { TelemetryService } from './telemetry.service';
import { TelemetryWriter } from './telemetry-writer';

/** Drone telemetry: intake, storage, history, track, link health, pushed to the feed. */
@Module({
  imports: [DronesModule, StreamsModule, RealtimeModule],
  controllers: [TelemetryController],
  providers: [TelemetryRepository, TelemetryService, TelemetryWriter],
})
export class TelemetryModule {}

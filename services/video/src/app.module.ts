import { DynamicModule, Module } from '@nestjs/common';
import { FleetServiceModule } from '@fleet/platform';
import { VIDEO_CONFIG, VideoConfig } from './config/video.config';
import { videoDataSourceOptions } from './database/video.datasource';
import { DronesModule } from './drones/drones.module';
import { IngestModule } from './ingest/ingest.module';
import { IngestService } from './ingest/ingest.service';
import { PlaybackModule } from './playback/playback.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RecordingsModule } from './recordings/recordings.module';
import { StreamsModule } from './streams/streams.module';
import { TelemetryModule } from './telemetry/telemetry.module';

/** The video service: the platform and one module per feature. */
@Module({})
export class AppModule {
  static forRoot(config: VideoConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({
          config,
          database: videoDataSourceOptions(config.db.url),
          redis: true,
          auth: true,
          messaging: { serve: true },
          probes: { inject: [IngestService], useFactory: (ingest: IngestService) => ({ rtmp: () => ingest.probe() }) },
        }),
        DronesModule,
        StreamsModule,
        IngestModule,
        PlaybackModule,
        RealtimeModule,
        TelemetryModule,
        RecordingsModule,
      ],
      providers: [{ provide: VIDEO_CONFIG, useValue: config }],
      // The ingest is global so the platform's health probe can reach it.
      exports: [VIDEO_CONFIG, IngestModule],
    };
  }
}

import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { AuthModule } from '@fleet/auth';
import { HealthModule } from '@fleet/health';
import { FLEET_RPC_SERVER, FleetRmqServer, MessagingModule, rabbitmqProbe, RpcClient } from '@fleet/messaging';
import { MetricsModule } from '@fleet/metrics';
import { RequestIdMiddleware } from '@fleet/logging';
import { REDIS, RedisModule } from '@fleet/redis';
import { VIDEO_CONFIG, VideoConfig } from './config/video.config';
import { videoDataSourceOptions } from './database/video.datasource';
import { DronesController } from './drones/drones.controller';
import { DronesRepository } from './drones/drones.repository';
import { DronesService } from './drones/drones.service';
import { IngestService } from './ingest/ingest.service';
import { StreamKeyCache } from './ingest/stream-keys';
import { RecordingsController } from './recordings/recordings.controller';
import { RecordingsService } from './recordings/recordings.service';
import { PlaySigner } from './playback/play-signer';
import { PlaybackController } from './playback/playback.controller';
import { PlaybackService } from './playback/playback.service';
import { FeedGateway } from './realtime/feed.gateway';
import { FeedHub } from './realtime/feed-hub';
import { StreamEventsController } from './realtime/stream-events.controller';
import { LiveRegistry } from './streams/live-registry';
import { SessionsRepository } from './streams/sessions.repository';
import { StreamsController } from './streams/streams.controller';
import { StreamsService } from './streams/streams.service';
import { TelemetryController } from './telemetry/telemetry.controller';
import { TelemetryRepository } from './telemetry/telemetry.repository';
import { TelemetryService } from './telemetry/telemetry.service';
import { TelemetryWriter } from './telemetry/telemetry-writer';

/** The video service: one module, as its features share the live registry and the feed hub. */
@Module({})
export class AppModule implements NestModule {
  static forRoot(config: VideoConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...videoDataSourceOptions(config.db.url), retryAttempts: 3, retryDelay: 1000 }),
        RedisModule.forRoot(config.redis.url, `video-${config.instanceId}`),
        AuthModule.forRoot(config.auth),
        MetricsModule.forRoot({ service: 'video', instance: config.instanceId }),
        MessagingModule.forRoot(config, { serve: true }),
        HealthModule.forRoot({
          inject: [getDataSourceToken(), REDIS, RpcClient, FLEET_RPC_SERVER, IngestService],
          useFactory: (dataSource: DataSource, redis: Redis, rpc: RpcClient, server: FleetRmqServer, ingest: IngestService) => ({
            postgres: () => dataSource.query('SELECT 1'),
            redis: () => redis.ping(),
            rabbitmq: rabbitmqProbe(rpc, server),
            rtmp: () => ingest.probe(),
          }),
        }),
      ],
      controllers: [DronesController, StreamsController, PlaybackController, TelemetryController, StreamEventsController, RecordingsController],
      providers: [
        { provide: VIDEO_CONFIG, useValue: config },
        DronesRepository,
        DronesService,
        SessionsRepository,
        LiveRegistry,
        StreamsService,
        StreamKeyCache,
        IngestService,
        PlaySigner,
        PlaybackService,
        TelemetryRepository,
        TelemetryService,
        TelemetryWriter,
        RecordingsService,
        FeedHub,
        FeedGateway,
      ],
      exports: [VIDEO_CONFIG, IngestService],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestIdMiddleware).forRoutes('*path');
  }
}

import { Module } from '@nestjs/common';
import { FeedGateway } from './feed.gateway';
import { FeedHub } from './feed-hub';
import { StreamEventsController } from './stream-events.controller';

/** The operators' live feed WebSocket: telemetry across instances, stream events per instance. */
@Module({
  controllers: [StreamEventsController],
  providers: [FeedHub, FeedGateway],
  exports: [FeedHub],
})
export class RealtimeModule {}

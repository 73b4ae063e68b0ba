import { Module } from '@nestjs/common';
import { DronesModule } from '../drones/drones.module';
import { IngestModule } from '../ingest/ingest.module';
import { StreamsModule } from '../streams/streams.module';
import { PlaySigner } from './play-signer';
import { PlaybackController } from './playback.controller';
import { PlaybackService } from './playback.service';

/** Live HTTP-FLV playback on any instance (proxied to the ingest owner), signed play URLs. */
@Module({
  imports: [DronesModule, StreamsModule, IngestModule],
  controllers: [PlaybackController],
  providers: [PlaySigner, PlaybackService],
})
export class PlaybackModule {}

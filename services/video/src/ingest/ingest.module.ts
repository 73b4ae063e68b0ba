import { Module } from '@nestjs/common';
import { DronesModule } from '../drones/drones.module';
import { StreamsModule } from '../streams/streams.module';
import { IngestService } from './ingest.service';
import { StreamKeyCache } from './stream-keys';

/** The RTMP ingest (on the instance that owns the port): key checks, publish sessions, viewers, recording. */
@Module({
  imports: [DronesModule, StreamsModule],
  providers: [StreamKeyCache, IngestService],
  exports: [IngestService],
})
export class IngestModule {}

import { Module } from '@nestjs/common';
import { DronesModule } from '../drones/drones.module';
import { LiveRegistry } from './live-registry';
import { SessionsRepository } from './sessions.repository';
import { StreamsController } from './streams.controller';
import { StreamsService } from './streams.service';

/** Live stream statistics (the registry every ingest refreshes) and the connection history. */
@Module({
  imports: [DronesModule],
  controllers: [StreamsController],
  providers: [LiveRegistry, SessionsRepository, StreamsService],
  exports: [LiveRegistry, SessionsRepository],
})
export class StreamsModule {}

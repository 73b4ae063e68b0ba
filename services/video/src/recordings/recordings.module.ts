import { Module } from '@nestjs/common';
import { DronesModule } from '../drones/drones.module';
import { RecordingsController } from './recordings.controller';
import { RecordingsService } from './recordings.service';

/** MP4 recordings of drones with recording on: listed and downloaded from any instance. */
@Module({
  imports: [DronesModule],
  controllers: [RecordingsController],
  providers: [RecordingsService],
})
export class RecordingsModule {}

import { Module } from '@nestjs/common';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { DetectionDispatcher } from './detection-dispatcher';
import { PredictController } from './predict.controller';
import { PredictService } from './predict.service';

/** Predictions (single, batch, zip), dispatched to the worker pool; the kit comparison. */
@Module({
  imports: [CatalogueModule],
  controllers: [PredictController],
  providers: [DetectionDispatcher, PredictService],
  exports: [PredictService],
})
export class PredictModule {}

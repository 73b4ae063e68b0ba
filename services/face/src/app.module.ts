import { DynamicModule, Module } from '@nestjs/common';
import { FleetServiceModule } from '@fleet/platform';
import { FACE_CONFIG, FaceConfig } from './config/face.config';
import { faceDataSourceOptions } from './database/face.datasource';
import { FaceModule } from './face/face.module';
import { createVectorIndex, FACE_PIPELINE, VECTOR_INDEX } from './face/face-runtime';
import { VectorIndex } from './index/vector-index';
import { FacePipeline } from './pipeline/face-pipeline';

/**
 * The face service: no public routes (nginx has no path to it), HTTP only for /health and
 * /metrics; its work arrives over RabbitMQ. The pipeline is loaded before the module is built
 * so a missing or wrong model fails the boot, not the first request.
 */
@Module({})
export class AppModule {
  static forRoot(config: FaceConfig, pipeline: FacePipeline): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        FleetServiceModule.forRoot({
          config,
          database: faceDataSourceOptions(config.db.url),
          messaging: { serve: true },
          probes: { inject: [VECTOR_INDEX], useFactory: (index: VectorIndex) => ({ chromadb: () => index.heartbeat() }) },
        }),
        FaceModule,
      ],
      providers: [
        { provide: FACE_CONFIG, useValue: config },
        { provide: FACE_PIPELINE, useValue: pipeline },
        { provide: VECTOR_INDEX, useFactory: () => createVectorIndex(config, pipeline) },
      ],
      exports: [FACE_CONFIG, FACE_PIPELINE, VECTOR_INDEX],
    };
  }
}

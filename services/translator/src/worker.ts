import { bootstrapService } from '@fleet/platform';
import { loadTranslatorConfig } from './config/translator.config';
import { WorkerModule } from './worker/worker.module';

/** A translator worker process: serves the pipeline stages over RabbitMQ, and /health on PORT. */
void bootstrapService({
  service: 'translator-worker',
  config: loadTranslatorConfig,
  module: (config) => WorkerModule.forRoot(config),
  httpApi: false,
  describe: (config) => ` (stages: ${config.workerConcurrency} at once)`,
});

import { bootstrapService } from '@fleet/platform';
import { describeStorage } from '@fleet/storage';
import { AppModule } from './app.module';
import { loadTranslatorConfig } from './config/translator.config';
import { setupTranslatorDocs } from './docs';

void bootstrapService({
  service: 'translator',
  config: loadTranslatorConfig,
  module: (config) => AppModule.forRoot(config),
  docs: setupTranslatorDocs,
  describe: (config) => ` (storage ${describeStorage(config.storage, config.storageDir)})`,
});

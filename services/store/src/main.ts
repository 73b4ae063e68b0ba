import { bootstrapService } from '@fleet/platform';
import { AppModule } from './app.module';
import { loadStoreConfig } from './config/store.config';
import { setupStoreDocs } from './docs';

void bootstrapService({ service: 'store', config: loadStoreConfig, module: (config) => AppModule.forRoot(config), docs: setupStoreDocs });

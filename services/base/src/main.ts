import { WsAdapter } from '@nestjs/platform-ws';
import { bootstrapService } from '@fleet/platform';
import { AppModule } from './app.module';
import { loadBaseConfig } from './config/base.config';
import { chatMessageParser } from './chat/chat-frame.parser';
import { setupBaseDocs } from './docs';

void bootstrapService({
  service: 'base',
  config: loadBaseConfig,
  module: (config) => AppModule.forRoot(config),
  // Ticket imports post up to 10,000 tickets as JSON (about 2.5 MB); nginx bounds /base_api bodies at 10 MB.
  jsonBodyLimit: '8mb',
  webSocketAdapter: (app) => new WsAdapter(app, { messageParser: chatMessageParser }),
  docs: setupBaseDocs,
});

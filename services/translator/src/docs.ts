import { INestApplication } from '@nestjs/common';
import { setupOpenApi } from '@fleet/openapi';
import metadata from './metadata';

/** OpenAPI for translator at `/docs` and `/docs/json` (`/translator_api/docs` through the gateway). */
export function setupTranslatorDocs(app: INestApplication): void {
  setupOpenApi(app, {
    title: 'translator',
    description: 'Speech and text translation for passengers: uploads, jobs and their results. Every route answers in the {status, message, data|error} envelope.',
    gatewayPrefix: '/translator_api',
    metadata,
  });
}

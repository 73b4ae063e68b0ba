import { INestApplication } from '@nestjs/common';
import { setupOpenApi } from '@fleet/openapi';
import metadata from './metadata';

/** OpenAPI for vision at `/docs` and `/docs/json` (`/vision_api/docs` through the gateway). */
export function setupVisionDocs(app: INestApplication): void {
  setupOpenApi(app, {
    title: 'vision',
    description: 'Object detection on images and zips of images, the models behind it and the history of predictions.',
    gatewayPrefix: '/vision_api',
    metadata,
  });
}

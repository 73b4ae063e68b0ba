import { INestApplication } from '@nestjs/common';
import { setupOpenApi } from '@fleet/openapi';
import metadata from './metadata';

/** OpenAPI for video at `/docs` and `/docs/json` (`/video_api/docs` through the gateway). */
export function setupVideoDocs(app: INestApplication): void {
  setupOpenApi(app, {
    title: 'video',
    description: 'Drone video: stream keys, live sessions, recordings and who may watch them.',
    gatewayPrefix: '/video_api',
    metadata,
  });
}

import { INestApplication } from '@nestjs/common';
import { setupOpenApi } from '@fleet/openapi';
import metadata from './metadata';

/** OpenAPI for base at `/docs` and `/docs/json` (`/base_api/docs` through the gateway). */
export function setupBaseDocs(app: INestApplication): void {
  setupOpenApi(app, {
    title: 'base',
    description: 'Robots, drones, tickets, the operator chat and the station map, the core of the fleet.',
    gatewayPrefix: '/base_api',
    metadata,
  });
}

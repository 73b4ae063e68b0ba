import { INestApplication } from '@nestjs/common';
import { setupOpenApi } from '@fleet/openapi';
import metadata from './metadata';

/** OpenAPI for store at `/docs` and `/docs/json` (`/store_api/docs` through the gateway). */
export function setupStoreDocs(app: INestApplication): void {
  setupOpenApi(app, {
    title: 'store',
    description: 'Station shops, products, stock and orders; the accounting export. Money is integer minor units plus an ISO 4217 currency.',
    gatewayPrefix: '/store_api',
    metadata,
  });
}

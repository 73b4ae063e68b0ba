import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * OpenAPI for store, generated from the controllers and DTOs: the UI at `/docs` and the JSON at
 * `/docs/json` (`/store_api/docs` through the gateway). Both are public, like /health: they
 * describe the API, they expose no data. The server entry is the gateway path, so "Try it out"
 * from the gateway's UI goes through nginx.
 */
export function setupStoreDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('store')
    .setDescription('Station shops, products, stock and orders; the accounting export. Money is integer minor units plus an ISO 4217 currency.')
    .setVersion('1')
    .addServer('/store_api')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json', yamlDocumentUrl: 'docs/yaml' });
}

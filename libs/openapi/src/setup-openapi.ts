import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** What the @nestjs/swagger plugin generates into a service's `src/metadata.ts` (its default export). */
export type PluginMetadata = () => Promise<Record<string, unknown>>;

export interface OpenApiOptions {
  /** The service name, used as the document title. */
  title: string;
  description: string;
  /** The gateway prefix the service is served under (`/store_api`); the document's server entry. */
  gatewayPrefix: string;
  /** The service's generated `metadata.ts` (see `npm run openapi:metadata`). */
  metadata?: PluginMetadata;
}

/**
 * Serves a service's OpenAPI document, generated from its controllers and DTOs: the UI at `/docs`,
 * the JSON at `/docs/json` and YAML at `/docs/yaml` (`/<prefix>/docs` through the gateway). They are
 * public, like /health: they describe the API and expose no data. The server entry is the gateway
 * path, so "Try it out" from the gateway's UI goes through nginx.
 *
 * The DTO schemas come from the swagger plugin's metadata (see plugin-metadata.ts), which must be
 * loaded before the document is built. The routes are registered at once and the document is built
 * on its first request, after the load: a caller that does not await still serves a whole document,
 * since the load finishes in the same tick's microtasks, long before the server listens. Await it
 * anyway where the caller can.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): Promise<void> {
  let loaded = false;
  const loading = (options.metadata ? SwaggerModule.loadPluginMetadata(options.metadata) : Promise.resolve()).then(() => {
    loaded = true;
  });
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .addServer(options.gatewayPrefix)
    .addBearerAuth()
    .build();
  let document: OpenAPIObject | undefined;
  const documentOnce = (): OpenAPIObject => {
    if (document) return document;
    const built = SwaggerModule.createDocument(app, config);
    if (loaded) document = built;
    return built;
  };
  SwaggerModule.setup('docs', app, documentOnce, { jsonDocumentUrl: 'docs/json', yamlDocumentUrl: 'docs/yaml' });
  return loading;
}

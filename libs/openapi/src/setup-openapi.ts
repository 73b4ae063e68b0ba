import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

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
 * loaded before the document is built. Loading it imports every controller file the metadata names
 * and builds a schema factory per DTO: memory an instance keeps for good, for a page that is read
 * now and then. So nothing happens at boot: the first request under `/docs` loads the metadata
 * (the requests behind it wait for the same load), then the document is built once and kept.
 */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): void {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .addServer(options.gatewayPrefix)
    .addBearerAuth()
    .build();
  const metadata = options.metadata;
  let loading: Promise<void> | undefined;
  const loadMetadata = (): Promise<void> => {
    loading ??= (metadata ? SwaggerModule.loadPluginMetadata(metadata) : Promise.resolve()).catch((error: unknown) => {
      // A failed load is tried again by the next request instead of failing every later one.
      loading = undefined;
      throw error;
    });
    return loading;
  };
  // Registered before the document's routes, so it runs first on every path under /docs.
  app.use('/docs', (_req: Request, _res: Response, next: NextFunction) => {
    loadMetadata().then(() => next(), next);
  });
  // A factory: SwaggerModule builds the document on the first request that needs it and keeps it.
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config), { jsonDocumentUrl: 'docs/json', yamlDocumentUrl: 'docs/yaml' });
}

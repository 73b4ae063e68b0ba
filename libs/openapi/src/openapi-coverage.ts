/** A route as Nest maps it at boot: `GET /shops/:shopId/products`. */
export interface MappedRoute {
  method: string;
  path: string;
}

interface OpenApiDocumentLike {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: SchemaLike }> } }>>;
  components?: { schemas?: Record<string, SchemaLike> };
}

interface SchemaLike {
  $ref?: string;
  properties?: Record<string, unknown>;
  type?: string;
  allOf?: SchemaLike[];
  items?: SchemaLike;
}

/**
 * The routes a Nest app mapped, read from its boot log ("Mapped {/path, METHOD} route", one JSON
 * log line each): what the app really serves, with nobody keeping a list.
 */
export function routesFromBootLog(lines: ReadonlyArray<{ msg?: unknown }>): MappedRoute[] {
  return lines
    .map((line) => /^Mapped \{(\S+), (\w+)\} route$/.exec(String(line.msg ?? '')))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ method: match[2], path: match[1] }));
}

/** `/shops/:shopId/products` as OpenAPI writes it: `/shops/{shopId}/products`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * What a document fails to describe: routes the app serves that it does not list (METHOD path),
 * and request bodies whose schema names no property (a DTO the plugin did not see).
 */
export function openApiGaps(openApiDocument: object, routes: readonly MappedRoute[]): { missingRoutes: string[]; bodiesWithoutProperties: string[] } {
  const document = openApiDocument as OpenApiDocumentLike;
  const missingRoutes = routes
    .filter((route) => !document.paths?.[openApiPath(route.path)]?.[route.method.toLowerCase()])
    .map((route) => `${route.method} ${route.path}`);
  const bodiesWithoutProperties: string[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const json = operation.requestBody?.content?.['application/json']?.schema;
      if (json && !hasProperties(document, json)) bodiesWithoutProperties.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return { missingRoutes, bodiesWithoutProperties };
}

function hasProperties(document: OpenApiDocumentLike, schema: SchemaLike): boolean {
  const resolved = schema.$ref ? document.components?.schemas?.[schema.$ref.split('/').pop() ?? ''] : schema;
  if (!resolved) return false;
  if (resolved.items) return hasProperties(document, resolved.items);
  if (resolved.allOf) return resolved.allOf.some((part) => hasProperties(document, part));
  return Object.keys(resolved.properties ?? {}).length > 0;
}

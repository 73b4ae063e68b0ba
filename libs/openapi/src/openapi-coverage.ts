/** A route as Nest maps it at boot: `GET /shops/:shopId/products`. */
export interface MappedRoute {
  method: string;
  path: string;
}

interface ResponseLike {
  description?: string;
  content?: Record<string, { schema?: SchemaLike }>;
}

interface OpenApiDocumentLike {
  paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: SchemaLike }> }; responses?: Record<string, ResponseLike> }>>;
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

export interface OpenApiGaps {
  missingRoutes: string[];
  bodiesWithoutProperties: string[];
  responsesWithoutSchema: string[];
}

/**
 * What a document fails to describe: routes the app serves that it does not list (METHOD path),
 * request bodies whose schema names no property (a DTO the plugin did not see), and success
 * answers a client could not type (`METHOD path status`): clients generate their types from these
 * documents (the console does), so an answer must be a described JSON schema, a non-JSON media type
 * (a file, an event stream), a 204, or a response whose description says in words why it has no body.
 */
export function openApiGaps(openApiDocument: object, routes: readonly MappedRoute[]): OpenApiGaps {
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
  const responsesWithoutSchema: string[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (/^2\d\d$/.test(status) && !responseIsDescribed(document, status, response)) responsesWithoutSchema.push(`${method.toUpperCase()} ${path} ${status}`);
      }
    }
  }
  return { missingRoutes, bodiesWithoutProperties, responsesWithoutSchema };
}

function responseIsDescribed(document: OpenApiDocumentLike, status: string, response: ResponseLike): boolean {
  if (status === '204') return true;
  const content = Object.entries(response.content ?? {});
  if (content.length === 0) return !!response.description?.trim();
  return content.every(([mediaType, { schema }]) => !/json/.test(mediaType) || (!!schema && hasProperties(document, schema)));
}

function hasProperties(document: OpenApiDocumentLike, schema: SchemaLike): boolean {
  const resolved = schema.$ref ? document.components?.schemas?.[schema.$ref.split('/').pop() ?? ''] : schema;
  if (!resolved) return false;
  if (resolved.items) return hasProperties(document, resolved.items);
  if (resolved.allOf) return resolved.allOf.some((part) => hasProperties(document, part));
  return Object.keys(resolved.properties ?? {}).length > 0;
}

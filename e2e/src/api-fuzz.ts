/**
 * Bad input for every documented route, generated from the services' OpenAPI documents: wrong
 * types, missing and extra fields, huge strings, negative and huge numbers, bad UUIDs and unicode
 * edge cases, in bodies, query strings and path parameters. What a route must do with each is the
 * same: answer (never hang), never 5xx, and every 4xx in the fleet's JSON error shape.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

export interface OpenApiDocument {
  servers?: Array<{ url: string }>;
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzCase {
  /** `POST /store_api/admin/shops`: the route as documented. */
  route: string;
  /** What is wrong with this request, e.g. `body.name: 12345 (number for string)`. */
  label: string;
  method: string;
  url: string;
  /** A JSON body (already serialized), or undefined. */
  body?: string;
  contentType?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Strings that break naive code: NUL, a lone surrogate, bidi overrides, astral characters, a very long one, markup, SQL. */
export const HOSTILE_STRINGS: Array<[string, string]> = [
  ['NUL byte', 'a\u0000b'],
  ['lone surrogate', 'x\ud800y'],
  ['bidi override', '\u202egnp.exe'],
  ['astral characters', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚆🤖'],
  ['100 kB string', 'x'.repeat(100_000)],
  ['markup', '<script>alert(1)</script>'],
  ['SQL', "'; DROP TABLE tickets; --"],
  ['empty', ''],
];

export const HOSTILE_NUMBERS: Array<[string, unknown]> = [
  ['negative', -1],
  ['huge', 1e308],
  ['fraction', 0.5],
  ['beyond int64', 9223372036854775808],
  ['numeric string', '12'],
];

export const BAD_IDS: Array<[string, string]> = [
  ['not a uuid', 'not-a-uuid'],
  ['unknown uuid', '00000000-0000-4000-8000-000000000000'],
  ['uuid with junk', '00000000-0000-4000-8000-000000000000x'],
  ['encoded NUL', '%00'],
  ['encoded traversal', '..%2F..%2Fetc%2Fpasswd'],
  ['very long', 'a'.repeat(2_000)],
  ['negative number', '-1'],
  ['unicode', encodeURIComponent('𝔘\u202e')],
];

function resolve(document: OpenApiDocument, schema: Schema | undefined, depth = 0): Schema {
  if (!schema || depth > 8) return {};
  if (schema.$ref) return resolve(document, document.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], depth + 1);
  if (schema.allOf?.length) {
    const parts = schema.allOf.map((part) => resolve(document, part, depth + 1));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((part) => part.properties ?? {})),
      required: parts.flatMap((part) => part.required ?? []),
    };
  }
  return schema;
}

/** A value that satisfies `schema` as far as a generator can tell (the base each bad case changes one thing of). */
export function plausibleValue(document: OpenApiDocument, raw: Schema | undefined, depth = 0): unknown {
  const schema = resolve(document, raw);
  if (schema.enum?.length) return schema.enum[0];
  const variant = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (variant) return plausibleValue(document, variant, depth + 1);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'email') return 'fuzz@example.com';
      if (schema.format === 'uri') return 'https://example.com/x';
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return true;
    case 'array':
      return depth > 4 ? [] : [plausibleValue(document, schema.items, depth + 1)];
    default: {
      if (depth > 4 || !schema.properties) return {};
      const required = new Set(schema.required ?? Object.keys(schema.properties));
      return Object.fromEntries(
        Object.entries(schema.properties)
          .filter(([name]) => required.has(name))
          .map(([name, property]) => [name, plausibleValue(document, property, depth + 1)]),
      );
    }
  }
}

/** Values of the wrong kind for a property of `schema`'s type. */
function wrongTypes(schema: Schema): Array<[string, unknown]> {
  switch (schema.type) {
    case 'string':
      return [['number for string', 12345], ['object for string', { $gt: '' }], ['array for string', ['x']], ['null', null]];
    case 'integer':
    case 'number':
      return [['string for number', 'abc'], ['boolean for number', true], ...HOSTILE_NUMBERS, ['null', null]];
    case 'boolean':
      return [['string for boolean', 'yes'], ['number for boolean', 2]];
    case 'array':
      return [['object for array', { 0: 'x' }], ['string for array', 'x'], ['10,000 items', Array.from({ length: 10_000 }, () => 'x')]];
    default:
      return [['string for object', 'x'], ['array for object', [1, 2]]];
  }
}

/** Every bad case of one service's document; `prefix` is the gateway path (its `servers[0].url`). */
export function fuzzCases(document: OpenApiDocument): FuzzCase[] {
  const prefix = document.servers?.[0]?.url ?? '';
  const cases: FuzzCase[] = [];
  for (const [template, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue;
      const route = `${method.toUpperCase()} ${prefix}${template}`;
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path');
      const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
      const pathWith = (overrides: Record<string, string> = {}) =>
        prefix +
        template.replace(/\{([^}]+)\}/g, (_, name: string) => {
          if (name in overrides) return overrides[name];
          const param = pathParams.find((p) => p.name === name);
          return encodeURIComponent(String(plausibleValue(document, param?.schema)));
        });
      const jsonBody = operation.requestBody?.content?.['application/json']?.schema;
      const multipart = !!operation.requestBody?.content?.['multipart/form-data'];
      const base = jsonBody ? (plausibleValue(document, jsonBody) as Record<string, unknown>) : undefined;
      const add = (label: string, url: string, body?: unknown, contentType = 'application/json') =>
        cases.push({ route, label, method: method.toUpperCase(), url, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), contentType: body === undefined ? undefined : contentType });

      for (const param of pathParams) {
        for (const [label, value] of BAD_IDS) add(`path ${param.name}: ${label}`, pathWith({ [param.name]: value }), base);
      }
      for (const param of queryParams) {
        const schema = resolve(document, param.schema);
        const values: Array<[string, unknown]> = [...wrongTypes(schema), ['astral characters', '𝔘𝔫𝔦'], ['1 kB', 'q'.repeat(1000)], ['repeated', undefined]];
        for (const [label, value] of values) {
          const query =
            label === 'repeated'
              ? `${encodeURIComponent(param.name)}=1&${encodeURIComponent(param.name)}=2`
              : `${encodeURIComponent(param.name)}=${encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))}`;
          add(`query ${param.name}: ${label}`, `${pathWith()}?${query}`, base);
        }
      }
      if (jsonBody) {
        const schema = resolve(document, jsonBody);
        add('body: empty object', pathWith(), {});
        add('body: not JSON', pathWith(), '{"unterminated": ');
        add('body: JSON array', pathWith(), [base]);
        add('body: JSON null', pathWith(), 'null');
        add('body: extra field', pathWith(), { ...base, __fuzz_extra: 1, constructor: { prototype: { polluted: true } } });
        add('body: wrong content type', pathWith(), 'name=x', 'application/x-www-form-urlencoded');
        for (const [name, property] of Object.entries(schema.properties ?? {})) {
          const resolved = resolve(document, property);
          const bad: Array<[string, unknown]> = [...wrongTypes(resolved)];
          if (resolved.type === 'string' && !resolved.enum && !resolved.format) bad.push(...HOSTILE_STRINGS);
          for (const [label, value] of bad) add(`body.${name}: ${label}`, pathWith(), { ...base, [name]: value });
        }
      } else if (multipart) {
        add('multipart route given JSON', pathWith(), { file: 'x' });
        add('multipart route given a broken multipart body', pathWith(), '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc', 'multipart/form-data; boundary=x');
      } else if (method !== 'get' && method !== 'delete') {
        add('unexpected body', pathWith(), { __fuzz_extra: 1 });
      }
    }
  }
  return cases;
}

/** Routes whose success answer streams until the client goes (SSE, live video): only their bad-input cases are sent, with a short deadline. */
export function isStreamingRoute(document: OpenApiDocument, template: string, method: string): boolean {
  const responses = document.paths?.[template]?.[method]?.responses ?? {};
  return Object.values(responses).some((response) => Object.keys(response.content ?? {}).some((type) => /event-stream|x-flv/.test(type)));
}

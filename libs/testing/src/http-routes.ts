export interface HttpRoute {
  method: string;
  path: string;
}

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * Every route an Express app serves (`app.getHttpAdapter().getInstance()` of a Nest app after
 * `init()`), as METHOD + path pattern (`/admin/shops/:id`). Route-walking tests use it to prove
 * that no route was added without a guard.
 */
export function httpRoutesOf(expressApp: unknown): HttpRoute[] {
  const stack = ((expressApp as { router?: { stack?: ExpressLayer[] } }).router?.stack ?? []) as ExpressLayer[];
  return stack.flatMap((layer) => {
    if (!layer.route) return [];
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    return Object.keys(layer.route.methods)
      .filter((method) => method !== '_all')
      .flatMap((method) => paths.map((path) => ({ method: method.toUpperCase(), path })));
  });
}

/** A concrete URL for a route pattern: every `:param` becomes `value`. */
export function concretePath(path: string, value: string): string {
  return path.replace(/:[A-Za-z0-9_]+/g, value);
}

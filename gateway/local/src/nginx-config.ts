export interface NginxRenderInput {
  /** `host:port` the gateway listens on. */
  listen: string;
  /** nginx prefix dir: pid file and temp dirs. */
  prefixDir: string;
  logDir: string;
  consoleDir: string;
  /** The worker user directive, or '' to keep nginx's default (required when not root). */
  userDirective: string;
  /** upstream name → `host:port` of each running instance. */
  upstreams: Record<string, string[]>;
}

// A directive line followed by `# local: replacement` (comment-only lines never match).
const LOCAL_LINE = /^(\s*)[^#\s][^#]*?#\s*local:[ \t]?(.*)$/;
const PLACEHOLDER = /\{\{\s*([A-Z_]+)(?:\s+([a-z0-9_-]+))?\s*\}\}/g;

// Nothing listens there and `down` keeps nginx from even trying: the path answers a JSON 502.
const NO_INSTANCE = 'server 127.0.0.1:9 down;';

function upstreamLines(servers: string[] | undefined, indent: string): string {
  if (!servers?.length) return NO_INSTANCE;
  return servers.map((server) => `server ${server} max_fails=1 fail_timeout=5s;`).join(`\n${indent}`);
}

/**
 * Renders the top-level nginx.conf (the compose form) for a local nginx: every line ending in
 * `# local: X` becomes X with its placeholders filled. Throws on an unknown placeholder, so a
 * typo in nginx.conf fails the launch instead of producing a half-rendered file.
 */
export function renderNginxConfig(template: string, input: NginxRenderInput): string {
  const values: Record<string, string> = {
    LISTEN: input.listen,
    PREFIX: input.prefixDir,
    LOG_DIR: input.logDir,
    CONSOLE_DIR: input.consoleDir,
    USER: input.userDirective,
  };
  return template
    .split('\n')
    .map((line) => {
      const match = LOCAL_LINE.exec(line);
      if (!match) return line;
      const [, indent, replacement] = match;
      const rendered = replacement.trim().replace(PLACEHOLDER, (_, name: string, arg?: string) => {
        if (name === 'UPSTREAM' && arg) return upstreamLines(input.upstreams[arg], indent);
        if (name in values && !arg) return values[name];
        throw new Error(`nginx.conf: unknown placeholder {{${name}${arg ? ` ${arg}` : ''}}}`);
      });
      return rendered ? `${indent}${rendered}` : '';
    })
    .join('\n');
}

/** Upstream names that the template fills with `{{UPSTREAM name}}`. */
export function templateUpstreams(template: string): string[] {
  return [...template.matchAll(/\{\{\s*UPSTREAM\s+([a-z0-9_-]+)\s*\}\}/g)].map((match) => match[1]);
}

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
  /** The robot zone's `limit_req` rate (`50r/s`); default: GATEWAY_ROBOT_RATE, else compose's 50r/s. */
  robotRate?: string;
}

/** Compose's rate of the robot zone: what production runs, and what local runs keep unless told. */
export const DEFAULT_ROBOT_RATE = '50r/s';
const NGINX_RATE = /^[1-9][0-9]*r\/[sm]$/;

/**
 * The robot zone's rate for a local gateway. Every robot of a local fleet (and of a benchmark)
 * calls from 127.0.0.1, one address, so a load test of many robots needs it raised
 * (`GATEWAY_ROBOT_RATE=5000r/s`); compose keeps nginx.conf's own value.
 */
export function robotRateFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.GATEWAY_ROBOT_RATE?.trim() || DEFAULT_ROBOT_RATE;
}

function nginxRate(rate: string): string {
  if (!NGINX_RATE.test(rate)) throw new Error(`The robot rate (GATEWAY_ROBOT_RATE) must be an nginx rate such as 200r/s or 600r/m, not "${rate}"`);
  return rate;
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
    ROBOT_RATE: nginxRate(input.robotRate ?? robotRateFrom()),
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

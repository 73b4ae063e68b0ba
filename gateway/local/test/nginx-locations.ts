/**
 * Just enough of nginx to ask the top-level nginx.conf which location serves a path and what
 * that location ends up with (its own directives, else the enclosing blocks'), without running
 * nginx: the compose form of the file runs only in Docker.
 */

export interface NginxBlock {
  name: string;
  args: string[];
  directives: Array<{ name: string; args: string[] }>;
  blocks: NginxBlock[];
  parent?: NginxBlock;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)/g;
  for (const match of text.matchAll(pattern)) {
    if (match[0].startsWith('#')) continue;
    tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4]);
  }
  return tokens;
}

/** The file as a tree of blocks (`http`, `server`, `location`...) holding their simple directives. */
export function parseNginx(text: string): NginxBlock {
  const root: NginxBlock = { name: '', args: [], directives: [], blocks: [] };
  let current = root;
  let words: string[] = [];
  for (const token of tokenize(text)) {
    if (token === ';') {
      if (words.length) current.directives.push({ name: words[0], args: words.slice(1) });
      words = [];
    } else if (token === '{') {
      const block: NginxBlock = { name: words[0], args: words.slice(1), directives: [], blocks: [], parent: current };
      current.blocks.push(block);
      current = block;
      words = [];
    } else if (token === '}') {
      if (!current.parent) throw new Error('nginx.conf: unbalanced }');
      current = current.parent;
    } else {
      words.push(token);
    }
  }
  return root;
}

export function findBlock(parent: NginxBlock, name: string): NginxBlock {
  const block = parent.blocks.find((b) => b.name === name);
  if (!block) throw new Error(`nginx.conf: no ${name} block`);
  return block;
}

function regexOf(location: NginxBlock): RegExp | undefined {
  const [modifier, pattern] = location.args;
  if (modifier === '~') return new RegExp(pattern);
  if (modifier === '~*') return new RegExp(pattern, 'i');
  return undefined;
}

/**
 * nginx's choice among the locations of `parent` (a server or a location): an exact match wins;
 * else the longest prefix, whose nested locations are asked first; then, unless that prefix is
 * `^~`, the first regex in file order (with its own nested locations); else the prefix.
 */
export function locate(parent: NginxBlock, uri: string): NginxBlock | undefined {
  const locations = parent.blocks.filter((b) => b.name === 'location' && !b.args[0].startsWith('@'));
  const exact = locations.find((l) => l.args[0] === '=' && l.args[1] === uri);
  if (exact) return exact;
  const prefixes = locations
    .map((l) => ({ location: l, prefix: l.args.length === 1 ? l.args[0] : l.args[0] === '^~' ? l.args[1] : undefined }))
    .filter((p): p is { location: NginxBlock; prefix: string } => p.prefix !== undefined && uri.startsWith(p.prefix))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  const longest = prefixes[0]?.location;
  if (longest) {
    const nested = locate(longest, uri);
    if (nested && nested !== longest) return nested;
    if (longest.args[0] === '^~') return longest;
  }
  for (const location of locations) {
    if (regexOf(location)?.test(uri)) return locate(location, uri) ?? location;
  }
  return longest;
}

/**
 * The directive as it applies in `block`: nginx takes a directive (for array directives such as
 * proxy_set_header or limit_req, all of them) from the nearest level that sets any.
 */
export function effective(block: NginxBlock, name: string): string[][] {
  for (let level: NginxBlock | undefined = block; level; level = level.parent) {
    const found = level.directives.filter((d) => d.name === name).map((d) => d.args);
    if (found.length) return found;
  }
  return [];
}

/** `10m`, `2g`, `64k` or bytes, as nginx reads client_max_body_size. */
export function nginxBytes(value: string): number {
  const match = /^(\d+)([kmg]?)$/i.exec(value);
  if (!match) throw new Error(`not an nginx size: ${value}`);
  return Number(match[1]) * 1024 ** ' kmg'.indexOf((match[2] || ' ').toLowerCase());
}

/** `300s`, `65m`, `1h`, `500ms` or seconds, in milliseconds. */
export function nginxMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(value);
  if (!match) throw new Error(`not an nginx time: ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}

/**
 * What reaches the upstream for `uri` in `location`: the upstream name and path, after a
 * `rewrite ... break` or with a prefix location's part replaced by proxy_pass's URI. Undefined
 * when the location does not proxy (a `return`).
 */
export function proxiedTo(location: NginxBlock, uri: string): { upstream: string; path: string } | undefined {
  const pass = location.directives.find((d) => d.name === 'proxy_pass')?.args[0];
  if (!pass) return undefined;
  const target = /^http:\/\/([^/]+)(\/.*)?$/.exec(pass);
  if (!target) throw new Error(`unexpected proxy_pass ${pass}`);
  let path = uri;
  for (const rewrite of location.directives.filter((d) => d.name === 'rewrite')) {
    const [pattern, replacement] = rewrite.args;
    const match = new RegExp(pattern).exec(path);
    if (match) path = replacement.replace(/\$(\d)/g, (_, n: string) => match[Number(n)] ?? '');
  }
  if (target[2] !== undefined) {
    const prefix = location.args.length === 1 ? location.args[0] : location.args[1];
    path = target[2] + uri.slice(prefix.length);
  }
  return { upstream: target[1], path };
}

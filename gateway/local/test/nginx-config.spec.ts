import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../src/fleet';
import { findNginx } from '../src/nginx-binary';
import { DEFAULT_ROBOT_RATE, renderNginxConfig, robotRateFrom, templateUpstreams } from '../src/nginx-config';
import { FLEET_SERVICES } from '../src/services';

const input = {
  listen: '127.0.0.1:18080',
  prefixDir: '/tmp/prefix',
  logDir: '/tmp/logs',
  consoleDir: '/repo/gateway/console/dist',
  userDirective: '',
  upstreams: { base: ['127.0.0.1:3011', '127.0.0.1:3012'] },
};

describe(renderNginxConfig.name, () => {
  test('replaces each `# local:` line and fills its placeholders', () => {
    const template = ['http {', '    listen 8080;   # local: listen {{LISTEN}};', '    root /x;  # local: root {{CONSOLE_DIR}};', '}'].join('\n');
    assert.equal(renderNginxConfig(template, input), ['http {', '    listen 127.0.0.1:18080;', '    root /repo/gateway/console/dist;', '}'].join('\n'));
  });

  test('an upstream gets one server line per instance, or a down placeholder when none runs', () => {
    const template = ['  upstream a {', '    server base:3000 resolve;  # local: {{UPSTREAM base}}', '    server store:3000 resolve;  # local: {{UPSTREAM store}}', '  }'].join('\n');
    const lines = renderNginxConfig(template, input).split('\n');
    assert.deepEqual(lines.slice(1, 4), [
      '    server 127.0.0.1:3011 max_fails=1 fail_timeout=5s;',
      '    server 127.0.0.1:3012 max_fails=1 fail_timeout=5s;',
      '    server 127.0.0.1:9 down;',
    ]);
  });

  test('an empty replacement removes the directive; comment-only lines are never rewritten', () => {
    const template = ['resolver 127.0.0.11;  # local:', '# a note that says # local: nothing', 'user nginx;  # local: {{USER}}'].join('\n');
    assert.deepEqual(renderNginxConfig(template, input).split('\n'), ['', '# a note that says # local: nothing', '']);
  });

  test("the robot zone's rate is compose's 50r/s unless GATEWAY_ROBOT_RATE says otherwise, and must be an nginx rate", () => {
    const template = 'limit_req_zone $binary_remote_addr zone=robot:10m rate=50r/s;   # local: limit_req_zone $binary_remote_addr zone=robot:10m rate={{ROBOT_RATE}};';
    assert.equal(robotRateFrom({}), DEFAULT_ROBOT_RATE);
    assert.equal(robotRateFrom({ GATEWAY_ROBOT_RATE: ' 5000r/s ' }), '5000r/s');
    assert.match(renderNginxConfig(template, { ...input, robotRate: '50r/s' }), /rate=50r\/s;$/);
    assert.match(renderNginxConfig(template, { ...input, robotRate: '600r/m' }), /rate=600r\/m;$/);
    for (const bad of ['fast', '0r/s', '50r/h', '50 r/s', '50r/s; deny all']) {
      assert.throws(() => renderNginxConfig(template, { ...input, robotRate: bad }), /GATEWAY_ROBOT_RATE/, bad);
    }
  });

  test('an unknown placeholder fails loudly', () => {
    assert.throws(() => renderNginxConfig('listen 80; # local: listen {{PORT}};', input), /unknown placeholder \{\{PORT\}\}/);
  });
});

describe('the top-level nginx.conf', () => {
  const template = readFileSync(path.join(REPO_ROOT, 'nginx.conf'), 'utf8');

  test('has an upstream line for every public service of the services table', () => {
    const upstreams = new Set(templateUpstreams(template));
    for (const spec of FLEET_SERVICES.filter((s) => s.publicPath)) assert.ok(upstreams.has(spec.name), `{{UPSTREAM ${spec.name}}}`);
  });

  test('renders to a configuration that `nginx -t` accepts', (t) => {
    let nginx: string;
    try {
      nginx = findNginx();
    } catch {
      t.skip('nginx is not installed');
      return;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nginx-conf-'));
    try {
      const config = renderNginxConfig(template, {
        ...input,
        prefixDir: dir,
        logDir: dir,
        consoleDir: path.join(REPO_ROOT, 'gateway', 'console', 'dist'),
        userDirective: process.getuid?.() === 0 ? 'user root;' : '',
      });
      const directives = config.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');
      assert.doesNotMatch(directives, /\{\{|# local:/);
      const file = path.join(dir, 'nginx.conf');
      writeFileSync(file, config);
      const result = spawnSync(nginx, ['-t', '-p', dir, '-c', file, '-e', path.join(dir, 'error.log')], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IsString, MinLength } from 'class-validator';
import { CommonEnv, EnvValidationError, findDevelopmentSecrets, toFleetConfig, validateEnv } from '../src';

describe(validateEnv.name, () => {
  it('applies defaults and converts numbers', () => {
    const env = validateEnv(CommonEnv, { PORT: '4100', RMQ_PREFETCH: '8' });
    assert.equal(env.PORT, 4100);
    assert.equal(env.RMQ_PREFETCH, 8);
    assert.equal(env.REDIS_URL, 'redis://127.0.0.1:6379');
  });

  it('reports every bad variable at once', () => {
    assert.throws(
      () => validateEnv(CommonEnv, { PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', RPC_DEADLINE_MS: '5' }),
      (error: unknown) => {
        assert.ok(error instanceof EnvValidationError);
        const variables = new Set(error.problems.map((problem) => problem.split(':')[0]));
        assert.deepEqual([...variables].sort(), ['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'RPC_DEADLINE_MS']);
        assert.match(error.message, /PORT/);
        return true;
      },
    );
  });

  it('treats empty strings as unset, so an empty line in .env keeps the default', () => {
    assert.equal(validateEnv(CommonEnv, { PORT: '' }).PORT, 3000);
  });

  it('maps to the nested config code reads', () => {
    const config = toFleetConfig('base', validateEnv(CommonEnv, { PORT: '4000', INSTANCE_ID: 'base-1' }));
    assert.equal(config.http.port, 4000);
    assert.equal(config.instanceId, 'base-1');
    assert.equal(config.rmq.maxDeliveries, 5);
  });
});

describe('production refuses development secrets', () => {
  class SecretEnv extends CommonEnv {
    @IsString() @MinLength(32)
    SIGNING_KEY: string = 'development-only-boarding-key-change-me';
  }
  const deployed = {
    NODE_ENV: 'production',
    SIGNING_KEY: 'a-key-nobody-has-published-0123456789',
    DATABASE_URL: 'postgres://svc_base:s3cret-from-the-vault@postgres:5432/fleet',
    RABBITMQ_URL: 'amqp://fleet:another-s3cret@rabbitmq:5672',
  };

  it('starts with secrets of its own', () => {
    assert.equal(validateEnv(SecretEnv, deployed).SIGNING_KEY, deployed.SIGNING_KEY);
  });

  it('names every variable that holds a development value, set or defaulted, at once', () => {
    const { SIGNING_KEY: _ownKey, ...withoutKey } = deployed;
    const env = {
      ...withoutKey,
      DATABASE_URL: 'postgres://svc_base:svc_base@postgres:5432/fleet',
      RABBITMQ_URL: 'amqp://fleet:fleet-dev-password@rabbitmq:5672',
      KEYCLOAK_PROVISIONER_SECRET: 'fleet-provisioner-dev-secret-change-me',
    };
    assert.throws(
      () => validateEnv(SecretEnv, env),
      (error: unknown) => {
        assert.ok(error instanceof EnvValidationError);
        const variables = error.problems.map((problem) => problem.split(':')[0]);
        assert.deepEqual(variables, ['DATABASE_URL', 'KEYCLOAK_PROVISIONER_SECRET', 'RABBITMQ_URL', 'SIGNING_KEY']);
        assert.doesNotMatch(error.message, /svc_base@|fleet-dev-password|change-me/, 'the message names variables, never their values');
        return true;
      },
    );
  });

  it('refuses the defaults of a bare production start (guest:guest RabbitMQ)', () => {
    assert.throws(() => validateEnv(CommonEnv, { NODE_ENV: 'production' }), /RABBITMQ_URL/);
  });

  it('lets development and tests run on the development values', () => {
    for (const NODE_ENV of ['development', 'test']) {
      assert.equal(validateEnv(SecretEnv, { NODE_ENV }).SIGNING_KEY, 'development-only-boarding-key-change-me');
    }
  });

  it('knows the secrets the realm file publishes', () => {
    const realm = readFileSync(path.resolve(__dirname, '../../../../gateway/keycloak/fleet-realm.json'), 'utf8');
    const published = [...realm.matchAll(/"(?:secret|value)": "([^"$]+)"/g)].map((match) => match[1]);
    assert.ok(published.length >= 5);
    assert.deepEqual(findDevelopmentSecrets(Object.fromEntries(published.map((value, i) => [`V${i}`, value]))).length, published.length);
  });
});

describe('production judges only the service variables', () => {
  it('ignores the rest of the process environment', () => {
    const env = { NODE_ENV: 'production', RABBITMQ_URL: 'amqp://fleet:own-s3cret@rabbitmq:5672', SOME_OTHER_TOOL_PASSWORD: 'guest' };
    assert.equal(validateEnv(CommonEnv, env).NODE_ENV, 'production');
  });

  it('still judges an optional variable that is set', () => {
    const env = { NODE_ENV: 'production', RABBITMQ_URL: 'amqp://fleet:own-s3cret@rabbitmq:5672', KEYCLOAK_PROVISIONER_SECRET: 'fleet-provisioner-dev-secret-change-me' };
    assert.throws(() => validateEnv(CommonEnv, env), /KEYCLOAK_PROVISIONER_SECRET/);
  });
});

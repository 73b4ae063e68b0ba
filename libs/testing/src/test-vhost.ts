import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestVhost {
  name: string;
  /** `amqp://guest:guest@127.0.0.1:5672/<vhost>`: give it to the processes as RABBITMQ_URL. */
  url: string;
  drop(): Promise<void>;
}

/**
 * A private RabbitMQ virtual host for one test file. Queue names are fixed per service
 * (`fleet.store`), so without it a test's messages could be consumed by another engineer's (or
 * another test's) instance of the same service, which uses another database. Needs `rabbitmqctl`
 * (the broker on this machine); the user is the local `guest`.
 */
export async function createTestVhost(prefix = 'fleet_test', user = process.env.RABBITMQ_TEST_USER ?? 'guest'): Promise<TestVhost> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await run('rabbitmqctl', ['-q', 'add_vhost', name]);
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', name, user, '.*', '.*', '.*']);
  return {
    name,
    url: `amqp://${user}:${user}@127.0.0.1:5672/${encodeURIComponent(name)}`,
    drop: async () => {
      await run('rabbitmqctl', ['-q', 'delete_vhost', name]).catch(() => undefined);
    },
  };
}

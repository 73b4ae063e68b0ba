import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface TestVhost {
  name: string;
  /** `RABBITMQ_URL` for this vhost, as guest. */
  url: string;
  drop(): void;
}

/**
 * A throwaway RabbitMQ vhost on the machine's broker: queues in it (`fleet.vision`, ...) are
 * this test's alone, so events a test publishes reach neither the other services' tests nor a
 * dev fleet, and the test can consume them itself.
 */
export function createTestVhost(): TestVhost {
  const name = `fleet-test-${randomBytes(4).toString('hex')}`;
  execFileSync('rabbitmqctl', ['-q', 'add_vhost', name]);
  execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*']);
  return {
    name,
    url: `amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(name)}`,
    drop: () => execFileSync('rabbitmqctl', ['-q', 'delete_vhost', name]),
  };
}

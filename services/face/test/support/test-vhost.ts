import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A private RabbitMQ vhost: the face queue is always `fleet.face`, so without one a test's calls
 * could be taken by someone else's face instance (other tests, a local fleet) using another database.
 */
export async function createFaceVhost(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fleet_face_test_${randomBytes(4).toString('hex')}`;
  await run('rabbitmqctl', ['-q', 'add_vhost', name]);
  await run('rabbitmqctl', ['-q', 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*']);
  return {
    url: `amqp://guest:guest@127.0.0.1:5672/${name}`,
    drop: () => run('rabbitmqctl', ['-q', 'delete_vhost', name]).then(() => undefined, () => undefined),
  };
}

// The baseline: the least a correct request/response worker does with amqplib alone. Same queue
// arguments as the fleet server, manual ack after the reply, same prefetch; no validation, no
// framework. Usage: node raw-server.mjs <queue> <prefetch>
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const amqp = require('amqplib');
const { workQueueOptions, deadLetterQueueFor, deadLetterQueueOptions } = require('@fleet/messaging');

const [queue, prefetch] = process.argv.slice(2);
const connection = await amqp.connect(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672', { noDelay: true });
const channel = await connection.createChannel();
await channel.assertQueue(deadLetterQueueFor(queue), deadLetterQueueOptions());
await channel.assertQueue(queue, workQueueOptions(queue, 5));
await channel.prefetch(Number(prefetch));
await channel.consume(queue, (message) => {
  const packet = JSON.parse(message.content.toString());
  const body = Buffer.from(JSON.stringify({ id: packet.id, response: { text: packet.data.text }, isDisposed: true }));
  channel.sendToQueue(message.properties.replyTo, body, { correlationId: message.properties.correlationId });
  channel.ack(message);
});
process.send?.('ready');
process.on('SIGTERM', () => connection.close().then(() => process.exit(0)));

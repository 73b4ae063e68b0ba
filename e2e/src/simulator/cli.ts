/**
 * `npm run simulate -- --robots 20 --drones 3 [--minutes 10]`: a living station against a running
 * fleet (`npm start`), through its gateway, until Ctrl-C or the minutes are up. It prints what it
 * does once a second, and a table of requests per route at the end.
 *   --gateway http://127.0.0.1:8080   (or FLEET_GATEWAY)      --rtmp rtmp://127.0.0.1:1935
 */
import { parseArgs } from 'node:util';
import { Station } from './station';

export async function main(argv = process.argv.slice(2)): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      robots: { type: 'string', default: '20' },
      drones: { type: 'string', default: '3' },
      minutes: { type: 'string' },
      gateway: { type: 'string', default: process.env.FLEET_GATEWAY ?? 'http://127.0.0.1:8080' },
      rtmp: { type: 'string' },
    },
  });
  const gatewayUrl = values.gateway.replace(/\/$/, '');
  const rtmpUrl = values.rtmp ?? `rtmp://${new URL(gatewayUrl).hostname}:${process.env.RTMP_PORT ?? 1935}`;
  const robots = Number(values.robots);
  const drones = Number(values.drones);
  if (!Number.isInteger(robots) || robots < 0 || !Number.isInteger(drones) || drones < 0) throw new Error('--robots and --drones take whole numbers');
  const health = await fetch(`${gatewayUrl}/healthz`).catch(() => undefined);
  if (!health?.ok) {
    console.error(`No fleet answers at ${gatewayUrl}: start one with \`npm start\` (or pass --gateway).`);
    process.exit(1);
  }

  const station = new Station({ gatewayUrl, rtmpUrl, robots, drones });
  console.log(`[sim] seeding: tickets, a shop with products, ${robots} robot(s), ${drones} drone(s) through ${gatewayUrl}`);
  await station.seed();
  await station.start();
  const started = Date.now();
  const ticker = setInterval(() => console.log(station.summary(Math.round((Date.now() - started) / 1000))), 1_000);
  const finish = async (why: string) => {
    clearInterval(ticker);
    console.log(`\n[sim] ${why}: stopping`);
    await station.stop();
    console.log(station.summary(Math.round((Date.now() - started) / 1000)));
    console.table(Object.fromEntries([...station.api.counts].sort(([a], [b]) => a.localeCompare(b))));
    process.exit(0);
  };
  process.once('SIGINT', () => void finish('Ctrl-C'));
  process.once('SIGTERM', () => void finish('SIGTERM'));
  if (values.minutes) setTimeout(() => void finish(`${values.minutes} minute(s) are up`), Number(values.minutes) * 60_000);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`[sim] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

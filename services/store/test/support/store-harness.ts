import path from 'node:path';
import { RpcClient } from '@fleet/messaging';
import {
  createTestDatabase,
  createTestRealm,
  createTestVhost,
  freeTcpPort,
  ServiceProcess,
  signTestToken,
  spawnServiceProcess,
  stopChild,
  TestDatabase,
  TestRealm,
  TestVhost,
} from '@fleet/testing';
import { storeDataSourceOptions } from '../../src/database/store.datasource';

const MAIN = path.resolve(__dirname, '../../src/main.js');

export const ALWAYS_OPEN = [{ days: [1, 2, 3, 4, 5, 6, 7], opens: '00:00', closes: '24:00' }];

/** Opening hours that exclude today (UTC, the store's default time zone): closed right now. */
export function closedToday(): Array<{ days: number[]; opens: string; closes: string }> {
  const today = ((new Date().getUTCDay() + 6) % 7) + 1;
  return [{ days: [1, 2, 3, 4, 5, 6, 7].filter((day) => day !== today), opens: '00:00', closes: '24:00' }];
}

export interface StoreHarness {
  store: ServiceProcess;
  db: TestDatabase;
  realm: TestRealm;
  vhost: TestVhost;
  /** A caller of the store's RPC methods, on the harness's private vhost. */
  rpc: RpcClient;
  token(role: string, sub?: string): Promise<string>;
  /** JSON request to the store instance; `token` false sends none. */
  /** Kills the process (SIGKILL: a crash, no graceful shutdown) and starts a new one on the same database and vhost. */
  crashAndRestart(): Promise<void>;
  request<T = Record<string, unknown>>(method: string, url: string, options?: { token?: string | false; body?: unknown }): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** A real store process (compiled main.js) on a fresh database and a private RabbitMQ vhost. */
export async function startStore(env: Record<string, string> = {}): Promise<StoreHarness> {
  const realm = createTestRealm();
  const [db, vhost, port] = await Promise.all([createTestDatabase('store', 'svc_store', storeDataSourceOptions), createTestVhost('fleet_test_store'), freeTcpPort()]);
  const spawnStore = () =>
    spawnServiceProcess({ main: MAIN, port, databaseUrl: db.url, realm, instanceId: `store-test-${port}`, env: { RABBITMQ_URL: vhost.url, ...env }, startTimeoutMs: 60_000 });
  let store = await spawnStore();
  const rpc = new RpcClient({ url: vhost.url, defaultDeadlineMs: 10_000, name: 'store-test caller' });
  await rpc.connect();
  const operator = await signTestToken(realm, { sub: 'operator-1', roles: ['operator'] });
  return {
    get store() {
      return store;
    },
    db,
    realm,
    vhost,
    rpc,
    token: (role, sub) => signTestToken(realm, { sub: sub ?? `${role}-1`, roles: [role] }),
    async request<T>(method: string, url: string, options: { token?: string | false; body?: unknown } = {}) {
      const headers: Record<string, string> = {};
      const token = options.token === undefined ? operator : options.token;
      if (token) headers.authorization = `Bearer ${token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(store.url + url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async crashAndRestart() {
      await stopChild(store.child, 'SIGKILL');
      store = await spawnStore();
    },
    async stop() {
      await rpc.close().catch(() => undefined);
      await store.stop();
      await db.drop();
      await vhost.drop();
    },
  };
}

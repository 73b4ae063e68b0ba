import { Client } from 'pg';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { connectWithRetry, ConnectRetryOptions } from './connect-retry';

export interface ServiceDatabaseTarget {
  /** Superuser (or CREATEROLE + CREATEDB) connection, used only by the migrate command. */
  adminUrl: string;
  /** The service's own connection URL: database name, role and password are taken from it. */
  serviceUrl: string;
  schema: string;
  /** Retries the first connection while Postgres is not reachable yet; without it, one attempt. */
  connectRetry?: ConnectRetryOptions;
}

interface ParsedServiceUrl {
  database: string;
  role: string;
  password: string | undefined;
}

export function parseServiceUrl(serviceUrl: string): ParsedServiceUrl {
  const url = new URL(serviceUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const role = decodeURIComponent(url.username);
  if (!database || !role) {
    throw new Error(`Service database URL must name a role and a database: ${url.protocol}//…/${database}`);
  }
  return { database, role, password: url.password ? decodeURIComponent(url.password) : undefined };
}

function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

// One lock id for all provisioning: CREATE DATABASE/ROLE are cluster-wide and race between replicas.
const PROVISION_LOCK_ID = 0x666c6565; // "flee"

async function withAdvisoryLock<T>(client: Client, lockId: number, fn: () => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [lockId]);
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [lockId]);
  }
}

async function ensureDatabase(admin: Client, database: string): Promise<void> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!rowCount) await admin.query(`CREATE DATABASE ${escapeIdentifier(database)}`);
}

async function ensureRole(admin: Client, role: string, password: string | undefined): Promise<void> {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  const passwordClause = password ? ` PASSWORD ${escapeLiteral(password)}` : '';
  const verb = rowCount ? 'ALTER' : 'CREATE';
  await admin.query(`${verb} ROLE ${escapeIdentifier(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE${passwordClause}`);
}

/**
 * Makes the database, the service's role and its schema, and closes every other door:
 * the role owns its schema, may connect, and has no rights on `public` or other schemas.
 */
async function isolateSchema(client: Client, database: string, role: string, schema: string): Promise<void> {
  const r = escapeIdentifier(role);
  const s = escapeIdentifier(schema);
  await client.query(`REVOKE ALL ON DATABASE ${escapeIdentifier(database)} FROM PUBLIC`);
  await client.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${escapeIdentifier(database)} TO ${r}`);
  await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${s} AUTHORIZATION ${r}`);
  await client.query(`ALTER SCHEMA ${s} OWNER TO ${r}`);
  await client.query(`REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`);
  await client.query(`ALTER ROLE ${r} IN DATABASE ${escapeIdentifier(database)} SET search_path = ${s}`);
}

export async function provisionServiceDatabase(target: ServiceDatabaseTarget): Promise<void> {
  const { database, role, password } = parseServiceUrl(target.serviceUrl);
  const admin = await connectWithRetry(target.adminUrl, target.connectRetry ?? { timeoutMs: 0 });
  try {
    await withAdvisoryLock(admin, PROVISION_LOCK_ID, async () => {
      await ensureDatabase(admin, database);
      await ensureRole(admin, role, password);
    });
  } finally {
    await admin.end();
  }
  const inDatabase = new Client({ connectionString: withDatabase(target.adminUrl, database), connectionTimeoutMillis: 5000 });
  await inDatabase.connect();
  try {
    await withAdvisoryLock(inDatabase, PROVISION_LOCK_ID, () => isolateSchema(inDatabase, database, role, target.schema));
  } finally {
    await inDatabase.end();
  }
}

/** Drops a whole database (tests only); terminates its sessions first. */
export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
}

import { Client } from 'pg';

export interface ConnectRetryOptions {
  /** Give up once this long has passed since the first attempt (the last error is thrown). */
  timeoutMs: number;
  /** Pause between attempts. */
  delayMs?: number;
  /** Told of every failed attempt that will be retried. */
  onRetry?: (attempt: number, error: Error) => void | Promise<void>;
}

// The server is not there yet, or is starting: a container's DNS name before it exists, a port
// nobody listens on, Postgres's "the database system is starting up" (57P03), a reset connection.
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', '57P03']);

function isTransient(error: Error): boolean {
  const code = (error as { code?: string }).code;
  if (code !== undefined) return TRANSIENT_CODES.has(code);
  return /Connection terminated|timeout expired/i.test(error.message);
}

/**
 * Opens a connection, retrying for a bounded time while the server is not reachable yet; a refusal
 * that retrying cannot fix (a wrong password, a missing database) fails at once.
 */
export async function connectWithRetry(connectionString: string, options: ConnectRetryOptions): Promise<Client> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const client = new Client({ connectionString, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      return client;
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      await client.end().catch(() => undefined);
      if (!isTransient(error) || Date.now() - started >= options.timeoutMs) {
        throw new Error(`Cannot connect to Postgres after ${attempt} attempt(s) in ${Date.now() - started} ms: ${error.message}`, { cause: error });
      }
      await options.onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1000));
    }
  }
}

import { execFileSync } from 'node:child_process';
import net from 'node:net';

/** Who holds a TCP port, when `ss` can tell (best effort; empty otherwise). */
function holderOf(port: number): string {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
    return match ? ` by ${match[1]} (pid ${match[2]})` : '';
  } catch {
    return '';
  }
}

function tryListen(host: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** Throws a message naming the port, what it was meant for and who holds it. */
export async function assertPortFree(host: string, port: number, purpose: string, hint = 'choose another port'): Promise<void> {
  const error = await tryListen(host, port);
  if (!error) return;
  if (error.code === 'EADDRINUSE') {
    throw new Error(`Port ${port} (${purpose}) is already taken${holderOf(port)}. Stop that process or ${hint}.`);
  }
  throw new Error(`Cannot listen on ${host}:${port} (${purpose}): ${error.message}`);
}

/** A port the OS says is free right now (tests use it to stay clear of a running dev fleet). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

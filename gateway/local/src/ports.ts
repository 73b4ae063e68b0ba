import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

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

/**
 * Ports from freePort() come from this range: below Linux's ephemeral range (32768-60999), so no
 * outgoing connection and no `listen(0)` elsewhere can take one between the moment it is chosen
 * and the moment the child process that was given it binds it.
 */
export const FREE_PORT_RANGE = { first: 10_000, count: 10_000 } as const;

/**
 * Claims of freePort() callers, one file per port holding the claimer's pid, shared by every
 * process on the machine: test files running at the same time never hand out the same port.
 * A claim lasts as long as its process (removed at exit; a dead pid's claim is cleared). The
 * directory is $FLEET_PORT_CLAIMS_DIR (tools/test.mjs sets it: each test file has its own TMPDIR),
 * else <tmpdir>/fleet-port-claims.
 */
const claimDir = (): string => process.env.FLEET_PORT_CLAIMS_DIR || path.join(os.tmpdir(), 'fleet-port-claims');
const claimed = new Set<number>();
let exitHookInstalled = false;

function claimFile(port: number): string {
  return path.join(claimDir(), String(port));
}

function releaseClaimsAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const port of claimed) rmSync(claimFile(port), { force: true });
  });
}

/** True when this process now owns the port's claim; clears a claim whose process is gone. */
function claim(port: number): boolean {
  const file = claimFile(port);
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    let owner = 0;
    try {
      owner = Number(readFileSync(file, 'utf8'));
    } catch {
      return false;
    }
    // An empty file is a claim being written right now: taken.
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(file, { force: true });
    return false;
  }
  releaseClaimsAtExit();
  claimed.add(port);
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A port that is free now and that no other process (using this function) is handed until this
 * process exits: tests give it to a child to listen on, and stay clear of a running dev fleet and
 * of other test files running at the same time.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  mkdirSync(claimDir(), { recursive: true });
  for (let attempt = 0; attempt < 1000; attempt++) {
    const port = FREE_PORT_RANGE.first + randomInt(FREE_PORT_RANGE.count);
    if (claimed.has(port) || !claim(port)) continue;
    const busy = (await tryListen('0.0.0.0', port)) ?? (host === '0.0.0.0' ? undefined : await tryListen(host, port));
    if (!busy) return port;
    // Held by something outside this scheme: give the claim back.
    claimed.delete(port);
    rmSync(claimFile(port), { force: true });
  }
  throw new Error(`no free port in ${FREE_PORT_RANGE.first}-${FREE_PORT_RANGE.first + FREE_PORT_RANGE.count - 1}`);
}

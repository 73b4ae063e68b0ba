import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repo.js';

/** The top-level nginx.conf: the gateway's routes, shared by compose, `npm start` and the cluster. */
export function readNginxConf(): string {
  return readFileSync(path.join(repoRoot(), 'nginx.conf'), 'utf8');
}

export interface UpstreamServer {
  upstream: string;
  host: string;
  port: number;
}

/** `server host:port ...` lines of every `upstream name { }` block. */
export function upstreamServers(conf: string): UpstreamServer[] {
  const servers: UpstreamServer[] = [];
  for (const block of conf.matchAll(/^\s*upstream\s+(\S+)\s*\{([^}]*)\}/gm)) {
    for (const server of block[2].matchAll(/^\s*server\s+([^\s:;]+):(\d+)/gm)) {
      servers.push({ upstream: block[1], host: server[1], port: Number(server[2]) });
    }
  }
  return servers;
}

/** Every `location` line (modifier and path), in order: the routes. */
export function locationLines(conf: string): string[] {
  return [...conf.matchAll(/^\s*location\s+([^{]+?)\s*\{/gm)].map((match) => match[1]);
}

/** The port of `listen N;` in the server block. */
export function listenPort(conf: string): number {
  const match = /^\s*listen\s+(\d+)\s*;/m.exec(conf);
  if (!match) throw new Error('nginx.conf has no `listen <port>;`');
  return Number(match[1]);
}

import { existsSync } from 'node:fs';
import path from 'node:path';

/** The nginx binary: NGINX_BIN, else PATH, else the sbin dirs a non-root PATH often lacks. */
export function findNginx(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NGINX_BIN) return env.NGINX_BIN;
  const dirs = [...(env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'nginx');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('nginx is not installed: run `sudo apt-get install -y nginx` (npm start does it itself when run as root on Debian)');
}

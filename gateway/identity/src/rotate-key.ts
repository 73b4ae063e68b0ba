import { createIdentityPool } from './db';
import { loadIdentityConfig } from './env';
import { KEEP_KEYS, rotateSigningKey } from './keys';

/**
 * `node dist/src/rotate-key.js [keep]`: adds a new signing key. Running providers pick it up on
 * their next request: new tokens carry its kid, the certs endpoint publishes it with the previous
 * ones (the newest `keep`, default 3), so tokens signed before keep verifying until they expire.
 */
async function main(): Promise<void> {
  const keep = process.argv[2] ? Number(process.argv[2]) : KEEP_KEYS;
  if (!Number.isInteger(keep) || keep < 2) throw new Error('keep must be an integer >= 2 (the previous key must stay published)');
  const pool = createIdentityPool(loadIdentityConfig().databaseUrl, 1);
  try {
    const kid = await rotateSigningKey(pool, keep);
    console.log(kid);
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

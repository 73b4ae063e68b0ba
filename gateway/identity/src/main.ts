import { loadIdentityConfig } from './env';
import { IdentityServer } from './server';

/**
 * `node dist/src/main.js`: the local Keycloak-compatible provider on PORT, serving
 * `/keycloak/realms/<realm>/...` (and the same with `/keycloak` stripped) plus `/health`.
 * Run `node dist/src/migrate.js` first.
 */
async function main(): Promise<void> {
  const config = loadIdentityConfig();
  const server = await IdentityServer.create(config);
  const port = await server.listen(config.port);
  console.log(`[identity] realm ${server.realm.name} on port ${port}, issuer ${server.issuer}`);
  const stop = (): void => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

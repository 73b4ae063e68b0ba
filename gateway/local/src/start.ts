import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { Fleet, startFleet } from './fleet';
import { fleetOptionsFromEnv } from './fleet-env';
import { FLEET_SERVICES } from './services';
import { describeSupervisorEvent, SupervisorEvent } from './supervisor';

const rel = (file: string) => path.relative(process.cwd(), file) || '.';

function printSummary(fleet: Fleet, keycloakUpstream: string | undefined): void {
  const gw = fleet.gatewayUrl;
  const lines = [
    '',
    'The fleet is up.',
    `  console            ${gw}/`,
    ...FLEET_SERVICES.filter((spec) => spec.publicPath).map((spec) => {
      const count = fleet.instances.filter((i) => i.service === spec.name).length;
      return `  ${`${spec.name} (${count}x)`.padEnd(18)} ${gw}${spec.publicPath}/health`;
    }),
    `  keycloak           ${gw}/keycloak/realms/fleet ${keycloakUpstream ? `→ ${keycloakUpstream}` : '(none: answers 502)'}${keycloakUpstream?.startsWith('127.0.0.1:') ? ' (the local identity provider)' : ''}`,
    '  instances (direct, /health and /metrics):',
    ...fleet.instances.map((i) => `    ${i.instanceId.padEnd(16)} ${i.url}  pid ${i.pid}`),
    `  logs               ${rel(fleet.logDir)}/ (nginx-access.log, nginx-error.log, <instance>.log, migrate-<service>.log)`,
    `  token              TOKEN=$(npm run -s token -- operator); curl -H "Authorization: Bearer $TOKEN" ${gw}/base_api/...`,
    `  sign in            operator / operator-dev-password-DEV-ONLY, admin / admin-dev-password-DEV-ONLY (gateway/keycloak/fleet-realm.json, development only)`,
    '',
    'Ctrl-C stops everything.',
  ];
  console.log(lines.join('\n'));
}

/**
 * A supervisor step, in the output and as a JSON line in logs/launcher.log; after a restart or a
 * give-up, a status line with every instance's restart count.
 */
function reportSupervisorEvent(event: SupervisorEvent, fleet: Fleet | undefined): void {
  const line = describeSupervisorEvent(event);
  (event.kind === 'restarted' ? console.log : console.error)(line);
  if (fleet) appendFileSync(path.join(fleet.logDir, 'launcher.log'), `${JSON.stringify({ time: new Date().toISOString(), ...event, msg: line })}\n`);
  if ((event.kind === 'restarted' || event.kind === 'gave-up') && fleet?.supervisor) {
    const counts = fleet.instances
      .map((instance) => ({ id: instance.instanceId, restarts: fleet.supervisor!.restartsOf(instance.instanceId), gaveUp: fleet.supervisor!.gaveUpOn(instance.instanceId) }))
      .filter((entry) => entry.restarts > 0 || entry.gaveUp)
      .map((entry) => `${entry.id} ×${entry.restarts}${entry.gaveUp ? ' (given up)' : ''}`);
    console.log(`  status: restarts ${counts.join(', ')}`);
  }
}

/** `npm start` (after tools/start.mjs has installed, built and made the dev key). */
export async function main(): Promise<void> {
  let options: ReturnType<typeof fleetOptionsFromEnv>;
  try {
    options = fleetOptionsFromEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
  let fleet: Fleet | undefined;
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${reason}: stopping the fleet…`);
    const started = Date.now();
    await fleet?.stop();
    console.log(`Stopped every process in ${Date.now() - started} ms.`);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGHUP', () => void shutdown('SIGHUP', 0));

  console.log(`Starting the fleet (gateway on port ${options.gatewayPort})…`);
  try {
    fleet = await startFleet({
      ...options,
      // The services trust the realm's keys from its JWKS, as against Keycloak: the local identity
      // provider's, or a real Keycloak's behind KEYCLOAK_UPSTREAM.
      realmPublicKey: process.env.KEYCLOAK_REALM_PUBLIC_KEY || undefined,
      log: (line) => console.log(`  ${line}`),
      // Crashed instances come back (1 s, 2 s, 4 s ... 30 s apart; not after 5 crashes within a minute).
      supervise: true,
      onSupervisorEvent: (event) => reportSupervisorEvent(event, fleet),
      onUnexpectedExit: (name, code) => {
        if (stopping) return;
        if (name === 'nginx') void shutdown(`nginx exited (code ${code}); see ${rel(path.join(fleet!.logDir, 'nginx-error.log'))}`, 1);
        else console.error(`! ${name} exited unexpectedly (code ${code}); see ${rel(path.join(fleet!.logDir, `${name}.log`))}`);
      },
    });
  } catch (error) {
    console.error(`\nThe fleet did not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  if (stopping) return;
  printSummary(fleet, fleet.keycloakUpstream);
}

if (require.main === module) void main();

/**
 * The operator console in a real browser (Debian's chromium, playwright-core) against a real
 * fleet with its identity provider, through nginx: sign-in through the login page, then one or
 * more journeys per page (test/console/*.journey.ts). Screenshots of every page land in
 * logs/screenshots/.
 *
 * For a quick loop while working on a page:
 *   CONSOLE_JOURNEYS=tickets node --test e2e/dist/test/console.e2e-spec.js   (its own fleet)
 *   CONSOLE_GATEWAY=http://127.0.0.1:8080 ...                                (a running `npm start`)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConsoleTypeGenerator } from '@fleet/testing';
import { ConsoleBrowser, launchConsoleBrowser, REALM_USERS, startTestFleet, TestFleet } from '../src';
import { JOURNEYS } from './console';
import type { JourneyFleet } from './console/journey';

const only = process.env.CONSOLE_JOURNEYS?.split(',').map((name) => name.trim()).filter(Boolean);
const externalGateway = process.env.CONSOLE_GATEWAY;

/** A running gateway (`npm start`) as a journey fleet: tokens from its identity provider. */
function externalFleet(gatewayUrl: string): JourneyFleet {
  const tokenFrom = async (form: Record<string, string>) => {
    const response = await fetch(`${gatewayUrl}/keycloak/realms/fleet/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(form) });
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token: ${response.status} ${JSON.stringify(body)}`);
    return body.access_token;
  };
  return {
    gatewayUrl,
    rtmpPort: Number(process.env.RTMP_PORT ?? 1935),
    request: (urlPath, init) => fetch(`${gatewayUrl}${urlPath}`, init),
    token: (role) => {
      if (role !== 'operator' && role !== 'admin') throw new Error(`a ${role} token comes from its client: clientToken`);
      return tokenFrom({ grant_type: 'password', client_id: 'fleet-cli', ...REALM_USERS[role] });
    },
    clientToken: (clientId, secret) => tokenFrom({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  };
}

describe('the operator console in a browser', () => {
  let fleet: TestFleet | undefined;
  let journeyFleet: JourneyFleet;
  let browser: ConsoleBrowser;

  before(async () => {
    if (externalGateway) {
      journeyFleet = externalFleet(externalGateway);
    } else {
      fleet = await startTestFleet({ identity: true, logLevel: 'info' });
      journeyFleet = fleet;
    }
    browser = await launchConsoleBrowser(journeyFleet);
  });
  after(async () => {
    await browser?.close();
    await fleet?.stop();
  });

  if (!only) it('its API types are the ones generated from what the services publish (npm run console:types)', async () => {
    const generator = await loadConsoleTypeGenerator();
    const stale = (await generator.compareWithGateway(journeyFleet.gatewayUrl)).filter((result) => result.expected !== result.actual).map((result) => result.service);
    assert.deepEqual(stale, [], `gateway/console/src/api/generated differs from the services' OpenAPI for: ${stale.join(', ')}; run \`npm run console:types\` against a running fleet`);
  });

  for (const journey of JOURNEYS) {
    if (only && !only.includes(journey.page)) continue;
    it(`${journey.page}: ${journey.title}`, async () => {
      await journey.run({ fleet: journeyFleet, browser, unique: randomBytes(3).toString('hex') });
    });
  }
});

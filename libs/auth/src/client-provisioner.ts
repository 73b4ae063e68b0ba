import { ConflictException, Logger, ServiceUnavailableException } from '@nestjs/common';
import type KcAdminClient from '@keycloak/keycloak-admin-client';
import type { FleetConfig } from '@fleet/config';

/** What a robot or drone gets when its client is made: the secret, answered once (null when the client existed already). */
export interface ProvisionedClient {
  clientId: string;
  secret: string | null;
}

type Realm = FleetConfig['auth'];
type Provisioner = NonNullable<Realm['provisioner']>;

/**
 * Keycloak's audience mapper that puts `audience` (our `fleet-api`) in the client's access tokens:
 * the services take no token without it. The realm file gives it to its own fleet clients.
 */
export function fleetAudienceMapper(audience: string) {
  return {
    name: `${audience} audience`,
    protocol: 'openid-connect',
    protocolMapper: 'oidc-audience-mapper',
    consentRequired: false,
    config: {
      'included.client.audience': audience,
      'id.token.claim': 'false',
      'access.token.claim': 'true',
      'introspection.token.claim': 'true',
    },
  };
}

/**
 * Robots and drones are confidential clients of the realm. Registering one creates its client
 * (service account with the robot or drone realm role, and the audience mapper without which the
 * services refuse its tokens), rotating its secret regenerates it, and
 * deactivating it disables the client, so its next token request fails. One code path for
 * Keycloak (compose, production) and the local provider (npm start): Keycloak's Admin REST API
 * through the official client, authenticated as the `fleet-provisioner` service account.
 * Without provisioner credentials it does nothing (clients are then made by hand in Keycloak).
 */
export class ClientProvisioner {
  private readonly logger = new Logger(ClientProvisioner.name);
  private client?: KcAdminClient;
  private tokenUntil = 0;

  constructor(private readonly realm: Realm) {}

  get enabled(): boolean {
    return this.realm.provisioner !== undefined;
  }

  /**
   * Creates `clientId` with `role`; a client that exists already (made by hand, or in the realm
   * file) is adopted instead: enabled, role and audience mapped, secret not shown (null).
   */
  async provision(clientId: string, role: string): Promise<ProvisionedClient> {
    return this.call(async (kc) => {
      let [existing] = await kc.clients.find({ clientId });
      let created = false;
      if (!existing) {
        await kc.clients.create({
          clientId,
          enabled: true,
          publicClient: false,
          clientAuthenticatorType: 'client-secret',
          serviceAccountsEnabled: true,
          standardFlowEnabled: false,
          directAccessGrantsEnabled: false,
          protocol: 'openid-connect',
          protocolMappers: [fleetAudienceMapper(this.realm.clientId)],
        });
        [existing] = await kc.clients.find({ clientId });
        created = true;
      } else {
        if (existing.enabled === false) await kc.clients.update({ id: existing.id! }, { enabled: true });
        await this.ensureAudience(kc, existing.id!);
      }
      const account = await kc.clients.getServiceAccountUser({ id: existing.id! });
      const realmRole = await kc.roles.findOneByName({ name: role });
      if (!realmRole) throw new Error(`the realm has no role ${role}`);
      await kc.users.addRealmRoleMappings({ id: account.id!, roles: [{ id: realmRole.id!, name: realmRole.name! }] });
      const secret = created ? ((await kc.clients.getClientSecret({ id: existing.id! })).value ?? null) : null;
      this.logger.log(`client ${clientId} ${created ? 'created' : 'adopted'} with role ${role}`);
      return { clientId, secret };
    });
  }

  /** A new secret for `clientId`; the old one stops working at once. */
  async rotateSecret(clientId: string): Promise<ProvisionedClient> {
    return this.call(async (kc) => {
      const id = await this.idOf(kc, clientId);
      const credential = await kc.clients.generateNewClientSecret({ id });
      this.logger.log(`client ${clientId}: secret rotated`);
      return { clientId, secret: credential.value ?? null };
    });
  }

  /** Enables or disables `clientId` (a disabled client gets no token). */
  async setEnabled(clientId: string, enabled: boolean): Promise<void> {
    await this.call(async (kc) => {
      await kc.clients.update({ id: await this.idOf(kc, clientId) }, { enabled });
      this.logger.log(`client ${clientId} ${enabled ? 'enabled' : 'disabled'}`);
    });
  }

  /** Adds the audience mapper to an adopted client that has none giving our audience. */
  private async ensureAudience(kc: KcAdminClient, id: string): Promise<void> {
    const audience = this.realm.clientId;
    const mappers = await kc.clients.listProtocolMappers({ id });
    const gives = mappers.some((m) => m.protocolMapper === 'oidc-audience-mapper' && m.config?.['included.client.audience'] === audience
      && m.config?.['access.token.claim'] !== 'false');
    if (!gives) await kc.clients.addProtocolMapper({ id }, fleetAudienceMapper(audience));
  }

  private async idOf(kc: KcAdminClient, clientId: string): Promise<string> {
    const [found] = await kc.clients.find({ clientId });
    if (!found?.id) throw new ConflictException(`The identity provider has no client ${clientId}`);
    return found.id;
  }

  /** Runs an admin call with a fresh enough token; the provider's failures become a 503 that says so. */
  private async call<T>(work: (kc: KcAdminClient) => Promise<T>): Promise<T> {
    const provisioner = this.realm.provisioner;
    if (!provisioner) throw new ServiceUnavailableException('No identity provisioner is configured (KEYCLOAK_PROVISIONER_CLIENT_ID / _SECRET)');
    try {
      return await work(await this.admin(provisioner));
    } catch (error) {
      if (error instanceof ConflictException) throw error;
      const status = (error as { response?: { status?: number } }).response?.status;
      this.logger.error(`identity provider admin call failed${status ? ` (${status})` : ''}: ${(error as Error).message}`);
      throw new ServiceUnavailableException(`The identity provider did not take the change: ${(error as Error).message}`);
    }
  }

  /** Client credentials give no refresh token: authenticate again before the access token runs out. */
  private async admin(provisioner: Provisioner): Promise<KcAdminClient> {
    if (!this.client) {
      const { default: AdminClient } = await import('@keycloak/keycloak-admin-client');
      // The provider's own address (KEYCLOAK_PROVISIONER_URL): the gateway refuses /keycloak/admin.
      this.client = new AdminClient({ baseUrl: provisioner.url ?? this.realm.keycloakUrl, realmName: this.realm.realm });
    }
    if (Date.now() > this.tokenUntil) {
      await this.client.auth({ grantType: 'client_credentials', clientId: provisioner.clientId, clientSecret: provisioner.secret });
      // Tokens live 5 minutes in the realm; renew a minute early.
      this.tokenUntil = Date.now() + 4 * 60_000;
    }
    return this.client;
  }
}

import { Drone } from './drone.types';

/** A drone as operators see it (never its stream key). */
export class DroneView {
  id!: string;
  name!: string;
  /** The drone's Keycloak client (client credentials, role `drone`) that posts its telemetry. */
  keycloak_client_id!: string;
  /** Record the live stream to MP4 segments. */
  record!: boolean;
  key_rotated_at!: string;
  /** When the drone was retired; null while it is active. */
  retired_at!: string | null;
  created_at!: string;
  updated_at!: string;
}

/** Only register and rotate answer with the key: the drone is configured with it once. */
export class DroneWithKeyView extends DroneView {
  stream_key!: string;
  /**
   * Registration only: the secret of the drone's own identity client, answered once (null when
   * the client existed already or no provisioner is configured).
   */
  client_secret?: string | null;
  /** Path of the RTMP URL (`rtmp://<ingest host>:<port>` + this). */
  rtmp_path!: string;
}

/** A regenerated identity client secret, answered once. */
export class DroneClientSecretView {
  client_id!: string;
  /** Null when no identity provisioner is configured. */
  client_secret!: string | null;
}

export function mapDrone(drone: Drone): DroneView {
  return {
    id: drone.id,
    name: drone.name,
    keycloak_client_id: drone.keycloakClientId,
    record: drone.record,
    key_rotated_at: drone.keyRotatedAt.toISOString(),
    retired_at: drone.retiredAt?.toISOString() ?? null,
    created_at: drone.createdAt.toISOString(),
    updated_at: drone.updatedAt.toISOString(),
  };
}

export function mapDroneWithKey(drone: Drone): DroneWithKeyView {
  return { ...mapDrone(drone), stream_key: drone.streamKey, rtmp_path: `/live/${drone.streamKey}` };
}

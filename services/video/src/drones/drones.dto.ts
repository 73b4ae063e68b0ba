import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../common/paging.dto';
import { Drone } from './drone.types';

const CLIENT_ID = /^[A-Za-z0-9._-]{1,100}$/;

export class CreateDroneDto {
  @IsString() @Length(1, 100)
  name!: string;

  /** The drone's Keycloak client (client credentials, role `drone`) that posts its telemetry. */
  @IsString() @Matches(CLIENT_ID, { message: 'keycloak_client_id must be 1-100 of A-Z a-z 0-9 . _ -' })
  keycloak_client_id!: string;

  /** Record the live stream to MP4 segments (not implemented yet; stored for when it is). */
  @IsOptional() @IsBoolean()
  record?: boolean;
}

export class UpdateDroneDto {
  @IsOptional() @IsString() @Length(1, 100)
  name?: string;

  @IsOptional() @IsString() @Matches(CLIENT_ID, { message: 'keycloak_client_id must be 1-100 of A-Z a-z 0-9 . _ -' })
  keycloak_client_id?: string;

  @IsOptional() @IsBoolean()
  record?: boolean;
}

export class DroneListQueryDto extends PageQueryDto {
  /** true: retired drones too. */
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  include_retired?: boolean;
}

export interface DroneResponseDto {
  id: string;
  name: string;
  keycloak_client_id: string;
  record: boolean;
  key_rotated_at: string;
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Only register and rotate answer with the key: the drone is configured with it once. */
export interface DroneWithKeyResponseDto extends DroneResponseDto {
  stream_key: string;
  /**
   * Registration only: the secret of the drone's own identity client, answered once (null when
   * the client existed already or no provisioner is configured).
   */
  client_secret?: string | null;
  /** Path of the RTMP URL (`rtmp://<ingest host>:<port>` + this). */
  rtmp_path: string;
}

export function mapDrone(drone: Drone): DroneResponseDto {
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

export function mapDroneWithKey(drone: Drone): DroneWithKeyResponseDto {
  return { ...mapDrone(drone), stream_key: drone.streamKey, rtmp_path: `/live/${drone.streamKey}` };
}

import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../common/paging.dto';

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

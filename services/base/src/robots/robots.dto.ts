import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import { RobotState } from '@fleet/contracts';
import { PageQueryDto, ToBoolean } from '../paging/paging.dto';

export class RegisterRobotDto {
  @IsString() @Length(1, 100)
  name!: string;

  @IsString() @Length(1, 100)
  station!: string;

  /** When set, the robot refuses tickets of other trains (`wrong_train`). */
  @IsOptional() @IsString() @Length(1, 32)
  assigned_train?: string | null;

  /** The Keycloak client the robot signs in as (the token's `azp`). */
  @IsString() @Length(1, 255)
  keycloak_client_id!: string;
}

export class UpdateRobotDto {
  @IsOptional() @IsString() @Length(1, 100)
  name?: string;

  @IsOptional() @IsString() @Length(1, 100)
  station?: string;

  /** null clears the assignment. */
  @IsOptional() @IsString() @Length(1, 32)
  assigned_train?: string | null;

  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class RobotPositionDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  x!: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  y!: number;

  @IsOptional() @IsString() @Length(1, 64)
  zone?: string;
}

export class HeartbeatDto {
  @IsInt() @Min(0) @Max(100)
  battery!: number;

  @IsEnum(RobotState)
  state!: RobotState;

  @IsOptional() @ValidateNested() @Type(() => RobotPositionDto)
  position?: RobotPositionDto;
}

export class RobotListQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @Length(1, 100)
  station?: string;

  @IsOptional() @ToBoolean() @IsBoolean()
  online?: boolean;
}

import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { Transform } from 'class-transformer';

export class SessionQueryDto {
  @IsOptional() @IsUUID()
  drone_id?: string;

  @IsOptional() @IsIn(['publish', 'play'])
  kind?: 'publish' | 'play';

  @IsOptional() @Type(() => Date) @IsDate({ message: 'from must be an ISO 8601 date' })
  from?: Date;

  @IsOptional() @Type(() => Date) @IsDate({ message: 'to must be an ISO 8601 date' })
  to?: Date;

  /** true: only sessions still open; false: only ended ones. */
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  open?: boolean;

  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;

  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(1_000_000)
  offset?: number;
}

import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsUUID } from 'class-validator';
import { Transform } from 'class-transformer';
import { PageQueryDto } from '../common/paging.dto';

export class SessionQueryDto extends PageQueryDto {
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

}

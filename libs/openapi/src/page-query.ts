import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const MAX_OFFSET = 1_000_000;

/**
 * `?limit=&offset=` of every list route (README, "API conventions"), with a service's own default
 * and cap: `export class PageQueryDto extends PageQuery({ defaultLimit: 50, maxLimit: 500 }) {}`.
 * A route's query DTO extends that with its filters.
 */
export function PageQuery(bounds: { defaultLimit: number; maxLimit: number }) {
  class PageQueryBase {
    // Explicit because the swagger plugin cannot see that a property with an initializer is optional.
    @ApiPropertyOptional({ minimum: 1, maximum: bounds.maxLimit, default: bounds.defaultLimit })
    @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(bounds.maxLimit)
    limit: number = bounds.defaultLimit;

    @ApiPropertyOptional({ minimum: 0, maximum: MAX_OFFSET, default: 0 })
    @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(MAX_OFFSET)
    offset: number = 0;
  }
  return PageQueryBase;
}

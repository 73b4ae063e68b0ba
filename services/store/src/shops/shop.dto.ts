import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../common/paging.dto';
import { OpeningHoursRule, TIME_OF_DAY } from './opening-hours';
import { ShopEntity } from './shop.entity';
import { ShopView } from './shop.view';

export class OpeningHoursRuleDto implements OpeningHoursRule {
  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5], description: 'ISO weekdays, 1 = Monday … 7 = Sunday' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(7) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true })
  days!: number[];

  @ApiProperty({ example: '07:00' })
  @IsString() @Matches(TIME_OF_DAY, { message: 'opens must be HH:MM (00:00-23:59)' })
  opens!: string;

  @ApiProperty({ example: '21:00', description: 'after opens; 24:00 for midnight' })
  @IsString() @Matches(TIME_OF_DAY, { message: 'closes must be HH:MM (00:00-24:00)' })
  closes!: string;
}

export class CreateShopDto {
  @ApiProperty({ example: 'Central' })
  @IsString() @MinLength(1) @MaxLength(100)
  station!: string;

  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Hall B, next to platform 4' })
  @IsString() @MinLength(1) @MaxLength(200)
  location!: string;

  @ApiProperty({ type: [OpeningHoursRuleDto] })
  @IsArray() @ArrayMaxSize(28) @ValidateNested({ each: true }) @Type(() => OpeningHoursRuleDto)
  opening_hours!: OpeningHoursRuleDto[];

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class UpdateShopDto {
  @ApiPropertyOptional({ example: 'Central' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  station?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'Hall B, next to platform 4' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({ type: [OpeningHoursRuleDto] })
  @IsOptional() @IsArray() @ArrayMaxSize(28) @ValidateNested({ each: true }) @Type(() => OpeningHoursRuleDto)
  opening_hours?: OpeningHoursRuleDto[];

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean()
  active?: boolean;
}

const asBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class PublicShopQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'Central' })
  @IsOptional() @IsString() @MaxLength(100)
  station?: string;
}

export class AdminShopQueryDto extends PublicShopQueryDto {
  @ApiPropertyOptional()
  @IsOptional() @Transform(asBoolean) @IsBoolean()
  active?: boolean;
}

export function mapShop(shop: ShopEntity, openNow: boolean, timeZone: string): ShopView {
  return {
    id: shop.id,
    station: shop.station,
    name: shop.name,
    location: shop.location,
    opening_hours: shop.openingHours,
    time_zone: timeZone,
    active: shop.active,
    open_now: openNow,
    created_at: shop.createdAt.toISOString(),
    updated_at: shop.updatedAt.toISOString(),
  };
}

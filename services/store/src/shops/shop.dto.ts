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

export class OpeningHoursRuleDto implements OpeningHoursRule {
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(7) @ArrayUnique() @IsInt({ each: true }) @Min(1, { each: true }) @Max(7, { each: true })
  days!: number[];

  @IsString() @Matches(TIME_OF_DAY, { message: 'opens must be HH:MM (00:00-23:59)' })
  opens!: string;

  @IsString() @Matches(TIME_OF_DAY, { message: 'closes must be HH:MM (00:00-24:00)' })
  closes!: string;
}

export class CreateShopDto {
  @IsString() @MinLength(1) @MaxLength(100)
  station!: string;

  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @IsString() @MinLength(1) @MaxLength(200)
  location!: string;

  @IsArray() @ArrayMaxSize(28) @ValidateNested({ each: true }) @Type(() => OpeningHoursRuleDto)
  opening_hours!: OpeningHoursRuleDto[];

  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class UpdateShopDto {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  station?: string;

  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  location?: string;

  @IsOptional() @IsArray() @ArrayMaxSize(28) @ValidateNested({ each: true }) @Type(() => OpeningHoursRuleDto)
  opening_hours?: OpeningHoursRuleDto[];

  @IsOptional() @IsBoolean()
  active?: boolean;
}

const asBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class PublicShopQueryDto extends PageQueryDto {
  @IsOptional() @IsString() @MaxLength(100)
  station?: string;
}

export class AdminShopQueryDto extends PublicShopQueryDto {
  @IsOptional() @Transform(asBoolean) @IsBoolean()
  active?: boolean;
}

export interface ShopResponse {
  id: string;
  station: string;
  name: string;
  location: string;
  opening_hours: OpeningHoursRule[];
  active: boolean;
  open_now: boolean;
  created_at: string;
  updated_at: string;
}

export function mapShop(shop: ShopEntity, openNow: boolean): ShopResponse {
  return {
    id: shop.id,
    station: shop.station,
    name: shop.name,
    location: shop.location,
    opening_hours: shop.openingHours,
    active: shop.active,
    open_now: openNow,
    created_at: shop.createdAt.toISOString(),
    updated_at: shop.updatedAt.toISOString(),
  };
}

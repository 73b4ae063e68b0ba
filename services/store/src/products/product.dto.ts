import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '../common/paging.dto';
import { ProductEntity } from './product.entity';
import { ProductView } from './product.view';

/** Upper bound of a price, in minor units: far below 2^31 (the column is int4). */
export const PRICE_MAX_MINOR = 100_000_000;
export const STOCK_MAX = 1_000_000;
const CURRENCY = /^[A-Z]{3}$/;
const imageUrl = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };

export class CreateProductDto {
  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(200)
  name!: string;

  @ApiProperty()
  @IsString() @MinLength(1) @MaxLength(100)
  category!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: PRICE_MAX_MINOR, example: 250, description: 'integer minor units (250 = 2.50)' })
  /** Integer minor units: 250 is 2.50 EUR. A fractional number is refused (400), never rounded. */
  @IsInt({ message: 'price_minor must be an integer number of minor units (e.g. 250 for 2.50)' }) @Min(0) @Max(PRICE_MAX_MINOR)
  price_minor!: number;

  @ApiProperty({ example: 'EUR', description: 'ISO 4217' })
  @IsString() @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency!: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: STOCK_MAX })
  @IsInt() @Min(0) @Max(STOCK_MAX)
  stock!: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional() @IsUrl(imageUrl) @MaxLength(2000)
  image_url?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class UpdateProductDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MinLength(1) @MaxLength(200)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional() @IsString() @MinLength(1) @MaxLength(100)
  category?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: PRICE_MAX_MINOR, example: 250, description: 'integer minor units (250 = 2.50)' })
  @IsOptional() @IsInt({ message: 'price_minor must be an integer number of minor units (e.g. 250 for 2.50)' }) @Min(0) @Max(PRICE_MAX_MINOR)
  price_minor?: number;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217' })
  @IsOptional() @IsString() @Matches(CURRENCY, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: STOCK_MAX })
  /** Sets the units on the shelf (a restock or a count); reserved units are already taken out. */
  @IsOptional() @IsInt() @Min(0) @Max(STOCK_MAX)
  stock?: number;

  @ApiPropertyOptional({ type: String, nullable: true })
  /** null removes the image. */
  @IsOptional() @IsUrl(imageUrl) @MaxLength(2000)
  image_url?: string | null;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class ProductQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @MaxLength(100)
  category?: string;
}

export class AdminProductQueryDto extends ProductQueryDto {
  @ApiPropertyOptional()
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  active?: boolean;
}

export function mapProduct(product: ProductEntity): ProductView {
  return {
    id: product.id,
    shop_id: product.shopId,
    name: product.name,
    category: product.category,
    price_minor: product.priceMinor,
    currency: product.currency,
    stock: product.stock,
    image_url: product.imageUrl,
    active: product.active,
    created_at: product.createdAt.toISOString(),
    updated_at: product.updatedAt.toISOString(),
  };
}

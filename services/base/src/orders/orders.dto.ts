import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { OrderItemParams, ORDER_MAX_ITEMS } from '@fleet/contracts';

/** What the robot's client may send as its key (header `Idempotency-Key` or body `idempotency_key`). */
export const CLIENT_IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export class PlaceOrderDto {
  /** Only its shape is checked here; whether it exists and is valid is the lookup's answer (422). */
  @IsString() @MinLength(1) @MaxLength(64)
  ticket_code!: string;

  @IsUUID()
  shop_id!: string;

  @ValidateNested({ each: true }) @Type(() => OrderItemParams) @ArrayMinSize(1) @ArrayMaxSize(ORDER_MAX_ITEMS)
  items!: OrderItemParams[];

  /** Alternative to the `Idempotency-Key` header (the header wins when both are sent). */
  @IsOptional() @IsString() @Matches(CLIENT_IDEMPOTENCY_KEY, { message: 'idempotency_key must be 8-128 characters of A-Z a-z 0-9 _ . : -' })
  idempotency_key?: string;
}

export class OrderIdParam {
  @IsUUID()
  id!: string;
}


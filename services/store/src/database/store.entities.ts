import { ProductEntity } from '../products/product.entity';
import { ShopEntity } from '../shops/shop.entity';

/**
 * Every entity of the store schema, listed explicitly. Orders, their items and the outbox are read
 * and written with SQL in their repositories (row locks and conditional updates), so they have no entity.
 */
export const STORE_ENTITIES: Function[] = [ShopEntity, ProductEntity];

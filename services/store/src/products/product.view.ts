export class ProductView {
  id!: string;
  shop_id!: string;
  name!: string;
  category!: string;
  /** Integer minor units of `currency` (250 is 2.50 EUR); never a fractional amount. */
  price_minor!: number;
  /** ISO 4217 code. */
  currency!: string;
  /** Units on the shelf not reserved by an order. */
  stock!: number;
  image_url!: string | null;
  /** An inactive product is hidden from the public and cannot be ordered. */
  active!: boolean;
  created_at!: string;
  updated_at!: string;
}

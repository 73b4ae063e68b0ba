import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { STORE_SCHEMA } from '../database/store.schema';

@Entity({ schema: STORE_SCHEMA, name: 'product' })
export class ProductEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'shop_id', type: 'uuid' })
  shopId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  category!: string;

  /** Integer minor units (cents) of `currency`; pg returns int4 as a JS integer, never a float. */
  @Column({ name: 'price_minor', type: 'integer' })
  priceMinor!: number;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** Units on the shelf not reserved by an order; only OrderRepository decrements it. */
  @Column({ type: 'integer' })
  stock!: number;

  @Column({ name: 'image_url', type: 'text', nullable: true })
  imageUrl!: string | null;

  /** An inactive product is hidden from the public and cannot be ordered. */
  @Column({ type: 'boolean' })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

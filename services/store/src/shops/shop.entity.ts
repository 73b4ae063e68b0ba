import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { STORE_SCHEMA } from '../database/store.schema';
import { OpeningHoursRule } from './opening-hours';

@Entity({ schema: STORE_SCHEMA, name: 'shop' })
export class ShopEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  station!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Where in the station ("Hall B, next to platform 4"). */
  @Column({ type: 'text' })
  location!: string;

  @Column({ name: 'opening_hours', type: 'jsonb' })
  openingHours!: OpeningHoursRule[];

  /** An inactive shop is invisible to the public and takes no orders, whatever its hours. */
  @Column({ type: 'boolean' })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

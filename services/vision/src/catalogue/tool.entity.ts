import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { VISION_SCHEMA } from '../database/vision.schema';

@Entity({ schema: VISION_SCHEMA, name: 'tool' })
export class ToolEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'serial_number', type: 'text', unique: true })
  serialNumber!: string;

  @Column({ type: 'text' })
  category!: string;

  /** The detector's class name for this tool (the label kit comparison counts). */
  @Column({ name: 'class_name', type: 'text' })
  className!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

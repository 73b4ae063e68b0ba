import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { VISION_SCHEMA } from '../database/vision.schema';
import { ToolEntity } from './tool.entity';

@Entity({ schema: VISION_SCHEMA, name: 'toolkit' })
export class ToolkitEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @OneToMany(() => ToolkitItemEntity, (item) => item.toolkit)
  items?: ToolkitItemEntity[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ schema: VISION_SCHEMA, name: 'toolkit_item' })
@Unique('toolkit_item_tool_unique', ['toolkitId', 'toolId'])
export class ToolkitItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'toolkit_id', type: 'uuid' })
  toolkitId!: string;

  @ManyToOne(() => ToolkitEntity, (toolkit) => toolkit.items, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'toolkit_id' })
  toolkit?: ToolkitEntity;

  @Column({ name: 'tool_id', type: 'uuid' })
  toolId!: string;

  @ManyToOne(() => ToolEntity, { onDelete: 'RESTRICT', eager: true })
  @JoinColumn({ name: 'tool_id' })
  tool?: ToolEntity;

  @Column({ type: 'int', default: 1 })
  quantity!: number;
}
